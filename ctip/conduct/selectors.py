"""Reads of conduct data, each taking the user and going through `ctip.conduct.policies`.

None of them loads `AllegationIdentity`: the register, the detail page, the exports, the
patterns and the API read allegations without any identity. The identity table is read only
by the audited identity read, `services.identities_view`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, QuerySet

from ctip.conduct import policies
from ctip.conduct.codes import AllegationStatus, Outcome
from ctip.conduct.models import (
    Allegation,
    CustodyEntry,
    Investigation,
    UnitCertification,
)
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.selectors import YearMonth, known_on


def allegations_for(user: User, *, status: str = "") -> QuerySet[Allegation]:
    """The allegations the user may see (403 for another role), optionally of one status;
    an unknown status gives nothing rather than an error."""
    found = policies.scope(
        user,
        Allegation.objects.select_related("entity", "contingent_country", "investigation"),
    )
    if status:
        found = found.filter(status=status) if status in AllegationStatus.values else found.none()
    return found


def allegation_get(user: User, pk: object) -> Allegation:
    """One allegation, or the same 404 whether it is missing or not the user's to see."""
    if not isinstance(pk, int):
        raise not_found()
    found = allegations_for(user).filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found


def investigation_of(*, user: User, allegation: Allegation) -> Investigation | None:
    """The allegation's investigation, if one was opened."""
    policies.require_allegation(user, allegation)
    return Investigation.objects.filter(allegation_id=allegation.pk).first()


def custody_of(*, user: User, allegation: Allegation) -> QuerySet[CustodyEntry]:
    policies.require_allegation(user, allegation)
    return CustodyEntry.objects.filter(allegation_id=allegation.pk).select_related("recorded_by")


def certifications_for(user: User) -> QuerySet[UnitCertification]:
    """The certifications of the user's entity (all of them for a system-wide officer)."""
    return policies.scope(user, UnitCertification.objects.select_related("entity", "country"))


def uncertified_units(user: User) -> list[tuple[str, str, str]]:
    """(entity, country, unit) named in allegations the user sees, without a certification."""
    known = {(c.entity.code, c.country_id, c.unit) for c in certifications_for(user)}
    named = {
        (row["entity__code"], row["contingent_country_id"] or "", row["unit"])
        for row in allegations_for(user)
        .exclude(unit="")
        .values("entity__code", "contingent_country_id", "unit")
    }
    return sorted(named - known)


def substantiated_anywhere(*, user: User, subject_hash: str) -> bool:
    """Vetting: is this keyed hash the subject of a substantiated allegation in any entity?
    Across entities by design, and only ever a yes or no."""
    policies.require_reader(user)
    return Allegation.objects.filter(
        subject_hash=subject_hash, investigation__outcome=Outcome.SUBSTANTIATED
    ).exists()


def investigations_to_watch() -> list[int]:
    """For the daily deadline alerts (a system job, no user): the ongoing investigations."""
    return list(
        Investigation.objects.filter(outcome=Outcome.ONGOING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def allegations_by_month(until: datetime.date) -> list[dict[str, Any]]:
    """Allegations per receiving entity and month of the report: counts for the early-warning
    signals, which the system computes for the situations' watchers
    (`ctip.warning.policies`); never a row."""
    return list(
        known_on(Allegation.objects.filter(reported_on__lte=until), until)
        .values("entity_id", month=YearMonth("reported_on"))
        .annotate(n=Count("pk"))
        .order_by()
    )
