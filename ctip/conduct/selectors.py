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
    Unit,
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
    """(entity, country, unit) of the registered units named in allegations the user sees,
    without a certification: however the unit was typed, it is one unit."""
    certified = set(
        certifications_for(user)
        .filter(registered_unit__isnull=False)
        .values_list("registered_unit_id", flat=True)
    )
    named = {
        (
            row["entity__code"],
            row["registered_unit__country_id"] or "",
            row["registered_unit__name"],
        )
        for row in allegations_for(user)
        .filter(registered_unit__isnull=False)
        .exclude(registered_unit_id__in=certified)
        .values("entity__code", "registered_unit__country_id", "registered_unit__name")
    }
    return sorted(named)


def units_for(user: User) -> QuerySet[Unit]:
    """The registered units of the user's entity (every entity's for a system-wide officer),
    without the aliases of merged ones, each with its number of allegations and
    certifications."""
    return (
        policies.scope(user, Unit.objects.select_related("entity", "country"))
        .filter(merged_into__isnull=True)
        .annotate(
            allegations_count=Count("allegations", distinct=True),
            certifications_count=Count("certifications", distinct=True),
        )
    )


def unit_get(user: User, pk: object) -> Unit:
    """One registered unit (not an alias), or the same 404 whether it is missing or not the
    user's to see."""
    if not isinstance(pk, int):
        raise not_found()
    found = units_for(user).filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found


def units_to_merge_into(user: User, unit: Unit) -> QuerySet[Unit]:
    """The units that `unit` may be merged into: the others of its contingent and mission."""
    return (
        units_for(user)
        .filter(entity_id=unit.entity_id, country_id=unit.country_id)
        .exclude(pk=unit.pk)
        .order_by("name")
    )


def unit_suggestions(user: User) -> list[tuple[str, str]]:
    """(name, country code) of the units registered in the user's own entity, for the forms'
    suggestions: what the user's allegations and certifications are recorded under."""
    return list(
        units_for(user)
        .filter(entity_id=user.entity_id)
        .order_by("name", "country_id")
        .values_list("name", "country_id")
    )


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
