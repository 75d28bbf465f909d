"""Case files and screenings are for the entity's caseworkers and focal points only;
analysts and everyone else never reach them (the statistics get pseudonymised records)."""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.cases.models import Case, Referral, Screening, ServiceOffer
from ctip.cases.services import FIELD_STAFF
from ctip.core.policies import not_found, require_role
from ctip.core.models import User


def cases_for(user: User) -> QuerySet[Case]:
    require_role(user, *FIELD_STAFF)
    return Case.objects.filter(entity_id=user.entity_id).select_related("caseworker", "citizenship")


def case_get(user: User, pk: int) -> Case:
    found = cases_for(user).filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found


def screenings_for(user: User) -> QuerySet[Screening]:
    require_role(user, *FIELD_STAFF)
    return Screening.objects.filter(entity_id=user.entity_id).select_related("case", "screened_by")


def referrals_incoming(user: User) -> QuerySet[Referral]:
    """Referrals sent to the user's entity: the provider's side."""
    require_role(user, *FIELD_STAFF)
    return Referral.objects.filter(to_entity_id=user.entity_id).select_related("case__entity")


def referral_incoming_get(user: User, pk: int) -> Referral:
    found = referrals_incoming(user).filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found


def directory() -> QuerySet[ServiceOffer]:
    return ServiceOffer.objects.select_related("entity", "country").filter(entity__is_active=True)
