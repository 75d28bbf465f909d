"""Synthetic early-warning history for the demo, labelled as such: in the Central African
Republic situation, screenings finding presumed victims and anonymous tips rise some months
before a spike of verified abductions (a year ago), and rise again in the last complete
month (alerts now). The analyst, a second analyst (IOM) and a MINUSCA monitor watch it; the
analyst's assessment a year ago is on record, and the second analyst cleared it for
publication (four eyes), so the public early-warning page lists it. Everything is dated
relative to today, so the demo stays current."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from ctip.cases.models import Tip
from ctip.cases.services import screening_record
from ctip.core.codes import Role
from ctip.core.models import ConflictSituation, Entity, User
from ctip.incidents import services as incidents
from ctip.warning import services
from ctip.warning.models import Watch
from ctip.warning.sources import first_day, month_of

SYNTHETIC = "Synthetic demo record (early-warning history)."
HISTORY = 36  # months of baseline before the last complete month
# months before the last complete month -> (presumed victims, tips): the rises
LEADING_RISES = {14: (9, 10), 13: (11, 12), 12: (10, 9), 0: (12, 14)}
SPIKE = (10, 9)  # months before the last complete month with a spike of abductions


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


@transaction.atomic
def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    if Watch.objects.exists():
        return {"watches": 0}
    situation = ConflictSituation.objects.filter(name__contains="Central African").first()
    minusca = Entity.objects.filter(code="MINUSCA").first()
    analyst, admin = _user("analyst@ctip.demo"), _user("admin@ctip.demo")
    second = _user("surveys@iom.demo")  # an analyst too: clears the assessment (four eyes)
    caseworker = _user("caseworker@minusca.demo")
    monitors = list(User.objects.filter(role=Role.MONITOR, entity=minusca).order_by("email"))
    if None in (situation, minusca, analyst, admin, caseworker, second) or len(monitors) < 2:
        return {"watches": 0}
    assert situation and minusca and analyst and admin and caseworker and second
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data
    last = month_of(timezone.localdate()) - 1
    _leading(rng, caseworker, minusca, last)
    _spike(rng, situation, monitors, last)
    for person in (analyst, second, monitors[0]):
        services.watch_add(actor=admin, situation=situation, user=person)
    for other in ConflictSituation.objects.exclude(pk=situation.pk):
        services.watch_add(actor=admin, situation=other, user=analyst)
    services.compute(timezone.localdate())  # what the worker does each day
    assessment = services.assessment_record(  # a year ago: its own month's level, no alert
        actor=analyst,
        situation=situation,
        as_of=first_day(last - 12) + datetime.timedelta(days=2),
        summary="Synthetic demo assessment.",
        scores={
            "1.1": {"score": 2, "evidence": "Synthetic: clashes in two prefectures."},
            "4.x": {"score": 2, "evidence": "Synthetic: an armed group holds the mining road."},
            "6.1": {"score": 1, "evidence": "Synthetic: access restricted in the north-east."},
        },
    )
    if assessment.level:  # only an assessment with a level can be cleared
        services.assessment_share(actor=second, assessment=assessment)
    return {"watches": Watch.objects.count()}


def _leading(rng: random.Random, caseworker: User, entity: Entity, last: int) -> None:
    """Presumed victims screened by MINUSCA and tips to it, month by month (CAF)."""
    tips = []
    for back in range(HISTORY, -1, -1):
        month = last - back
        presumed, tipped = LEADING_RISES.get(back, (rng.randint(0, 2), rng.randint(1, 3)))
        for _n in range(presumed):
            day = first_day(month) + datetime.timedelta(days=rng.randint(0, 27))
            screening_record(
                actor=caseworker,
                raw={
                    "screened_on": day.isoformat(),
                    "setting": rng.choice(["camp", "community", "reception"]),
                    "indicator_set": "ilo_forced_labour",
                    "answers": {"ilo_forced_labour.deception": "yes"},
                    "outcome": "presumed_victim",
                    "reason": SYNTHETIC,
                },
            )
        for _n in range(tipped):
            day = first_day(month) + datetime.timedelta(days=rng.randint(0, 27), hours=10)
            tips.append(
                Tip(
                    entity=entity,
                    what=SYNTHETIC,
                    received_at=datetime.datetime.combine(day, datetime.time(10), datetime.UTC),
                )
            )
    Tip.objects.bulk_create(tips)


def _spike(
    rng: random.Random, situation: ConflictSituation, monitors: list[User], last: int
) -> None:
    """Verified abductions, many in two months: the events the warnings should precede."""
    recorder, verifier = monitors[:2]
    for back in SPIKE:
        for _n in range(8):
            day = first_day(last - back) + datetime.timedelta(days=rng.randint(0, 25))
            incident = incidents.incident_record(
                actor=recorder,
                raw={
                    "situation": situation.pk,
                    "date": day.isoformat(),
                    "country": "CAF",
                    "admin1": "Vakaga",
                    "violations": ["abduction"],
                    "girls": rng.randint(1, 4),
                    "boys": rng.randint(0, 3),
                    "narrative": SYNTHETIC,
                    "sources": [],
                },
            )
            incidents.verification_start(actor=recorder, incident=incident)
            incidents.verification_decide(
                actor=verifier,
                incident=incident,
                raw={
                    "status": "verified",
                    "basis": "two_independent_sources",
                    "decided_on": (day + datetime.timedelta(days=3)).isoformat(),
                },
            )
