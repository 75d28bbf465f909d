"""A situation with an assessment, for the tests of other apps that read early warning."""

import datetime

from ctip.core import services as core
from ctip.core.codes import Role
from ctip.core.models import Country
from ctip.core.testing import make_user
from ctip.warning import services
from ctip.warning.models import Assessment

SUMMARY = "Talks in the capital broke down on Tuesday"
# five person-scored indicators at 2: enough of the framework known for a level (high)
LEVELLED = {c: {"score": 2, "evidence": "the road"} for c in ("1.1", "1.x", "2.1", "4.x", "5.1")}


def assessed(actors, name: str, as_of: datetime.date, *, cleared: bool) -> Assessment:
    """A situation watched by two analysts, one of whom assessed it (level high) and, when
    `cleared`, the other cleared the assessment for publication."""
    admin, author = actors.by_role[Role.ADMINISTRATOR], actors.by_role[Role.ANALYST]
    second = make_user(actors.entity, Role.ANALYST)
    situation = core.conflict_situation_save(
        actor=None,
        name=name,
        countries=list(Country.objects.filter(alpha3="CAF")),
        start_date=datetime.date(2023, 1, 1),
    )
    for user in (author, second):
        services.watch_add(actor=admin, situation=situation, user=user)
    assessment = services.assessment_record(
        actor=author, situation=situation, as_of=as_of, scores=LEVELLED, summary=SUMMARY
    )
    if cleared:
        services.assessment_share(actor=second, assessment=assessment)
    return assessment
