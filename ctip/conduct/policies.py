"""Who sees conduct data: the one place where the conduct app's access rules live.

The conduct officers of the entity concerned, and the system-wide conduct officers (those of
the operator entity, `CTIP_OPERATOR_ENTITY`). Nobody else — not administrators, not analysts,
not focal points: an identity here can cost a victim or a witness their safety. A role
refusal is a 403 (`require_reader`); an allegation of another entity is the same 404 as a
missing one (`selectors.allegation_get`).
"""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.db.models import Model, Q, QuerySet

from ctip.conduct.models import Allegation, Unit
from ctip.core.codes import Role
from ctip.core.models import Entity, User
from ctip.core.policies import not_found, require_role

# who reads and works on allegations, vetting and certifications
READERS = (Role.CONDUCT_OFFICER,)
# who may record an allegation (and is told that one came in, without a link to it)
RECORDERS = (*READERS, Role.FOCAL_POINT)

M = TypeVar("M", bound=Model)


def require_reader(user: User) -> None:
    """403 unless the user is an active conduct officer."""
    require_role(user, *READERS)


def require_recorder(user: User) -> None:
    require_role(user, *RECORDERS)


def is_system_wide(user: User) -> bool:
    """A conduct officer of the operator entity sees every entity's allegations."""
    return user.entity.code == settings.CTIP_OPERATOR_ENTITY


def may_see_entity(user: User, entity_id: int) -> bool:
    return (
        user.is_active
        and user.has_role(*READERS)
        and (is_system_wide(user) or user.entity_id == entity_id)
    )


def scope(user: User, found: QuerySet[M], entity_field: str = "entity") -> QuerySet[M]:
    """Only the rows the user may see: 403 for another role, the entity's rows (or all of
    them for a system-wide conduct officer)."""
    require_reader(user)
    return found if is_system_wide(user) else found.filter(**{f"{entity_field}_id": user.entity_id})


def officers_to_tell(entity: Entity) -> QuerySet[User]:
    """The people who may open an allegation of `entity`: its conduct officers and the
    system-wide ones (the same rule as `scope`, seen from the allegation's side)."""
    return User.objects.filter(role__in=READERS, is_active=True).filter(
        Q(entity=entity) | Q(entity__code=settings.CTIP_OPERATOR_ENTITY)
    )


def focal_points_to_tell(entity: Entity) -> QuerySet[User]:
    """Told that an allegation came in, never where it is: they cannot open it."""
    return entity.users.filter(role=Role.FOCAL_POINT, is_active=True)


def require_allegation(user: User, allegation: Allegation) -> None:
    """For services handed an allegation: 403 for another role, and the same 404 as a
    missing allegation when it belongs to an entity the user may not see."""
    require_reader(user)
    if not may_see_entity(user, allegation.entity_id):
        raise not_found()


def require_unit(user: User, unit: Unit) -> None:
    """For services handed a registered unit: as `require_allegation`, the same 404 as a
    missing unit when it belongs to an entity the user may not see."""
    require_reader(user)
    if not may_see_entity(user, unit.entity_id):
        raise not_found()
