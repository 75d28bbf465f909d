"""Who sees conduct data: the conduct officers of the entity concerned, and the system-wide
conduct officers (those of the operator entity). Nobody else — not administrators, not
analysts: an identity here can cost a victim or a witness their safety."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from ctip.conduct.models import Allegation
from ctip.core.policies import not_found, require_role
from ctip.core.codes import Role
from ctip.core.models import User

READERS = (Role.CONDUCT_OFFICER,)


def is_system_wide(user: User) -> bool:
    return user.entity.code == settings.CTIP_OPERATOR_ENTITY


def allegations_for(user: User) -> QuerySet[Allegation]:
    require_role(user, *READERS)
    found = Allegation.objects.select_related("entity", "contingent_country", "investigation")
    return found if is_system_wide(user) else found.filter(entity_id=user.entity_id)


def allegation_get(user: User, pk: int) -> Allegation:
    found = allegations_for(user).filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found
