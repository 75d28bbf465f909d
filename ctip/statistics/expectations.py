"""Coverage: who is expected to report which country of detection in a round (analysts say
so; the round page compares it with what came, selectors.coverage)."""

from __future__ import annotations

from django.db import transaction

from ctip.core.audit import audit_record
from ctip.core.codes import EntityKind
from ctip.core.models import Country, Entity, User
from ctip.statistics import policies
from ctip.statistics.codes import StatisticsAction
from ctip.statistics.models import ExpectedSubmission, ReportingRound, Submission


@transaction.atomic
def expected_add(
    *, actor: User, round_: ReportingRound, entity: Entity, country: Country
) -> ExpectedSubmission:
    policies.require(actor, policies.COORDINATORS)
    expected, created = ExpectedSubmission.objects.get_or_create(
        round=round_, entity=entity, country=country, defaults={"added_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action=StatisticsAction.EXPECTED_CHANGED,
            target=round_,
            details={"added": f"{entity.code} {country.alpha3}"},
        )
    return expected


@transaction.atomic
def expected_remove(*, actor: User, expected: ExpectedSubmission) -> None:
    policies.require(actor, policies.COORDINATORS)
    audit_record(
        actor=actor,
        action=StatisticsAction.EXPECTED_CHANGED,
        target=expected.round,
        details={"removed": f"{expected.entity.code} {expected.country_id}"},
    )
    expected.delete()


@transaction.atomic
def expected_propose(*, actor: User, round_: ReportingRound) -> int:
    """Expect again whoever reported in the previous round, and every active Member State
    authority for its own country. Returns how many expectations were added."""
    policies.require(actor, policies.COORDINATORS)
    pairs = set(
        Submission.objects.filter(round__year=round_.year - 1).values_list(
            "entity_id", "country_of_detection_id"
        )
    )
    pairs |= set(
        Entity.objects.filter(
            kind=EntityKind.MEMBER_STATE, is_active=True, country__isnull=False
        ).values_list("pk", "country_id")
    )
    existing = set(round_.expected.values_list("entity_id", "country_id"))
    new = [
        ExpectedSubmission(round=round_, entity_id=e, country_id=c, added_by=actor)
        for e, c in sorted(pairs - existing)
    ]
    ExpectedSubmission.objects.bulk_create(new)
    audit_record(
        actor=actor,
        action=StatisticsAction.EXPECTED_CHANGED,
        target=round_,
        details={"proposed": len(new)},
    )
    return len(new)
