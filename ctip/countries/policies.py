"""Who may do what with treaty status and national response: the app's one door.

Treaty status and national response entries are public once recorded (they are official,
published information). Legal officers and administrators import and correct them; a
national response entry belongs to the entity that recorded it, and only that entity's
legal officers (or an administrator) change it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.core.codes import Role
from ctip.core.models import User
from ctip.core.policies import is_administrator, require_role
from ctip.countries.models import NationalResponse

EDITORS = frozenset({Role.LEGAL_OFFICER, Role.ADMINISTRATOR})


def require_editor(user: User) -> None:
    """403 unless the user may import and correct (a role rule is no secret)."""
    require_role(user, *EDITORS)


def may_edit_response(user: User, response: NationalResponse) -> bool:
    return user.has_role(*EDITORS) and (
        response.entity_id == user.entity_id or is_administrator(user)
    )


def may_overwrite_entity(user: User | None, entity_id: int | None, owner_id: int) -> bool:
    """An import may correct an entry recorded by its own entity, or any entry for an
    administrator; `user` is None for the command line acting for `entity_id`."""
    if user is not None and is_administrator(user):
        return True
    return owner_id == entity_id


def scope_responses(user: User) -> QuerySet[NationalResponse]:
    """The entries the user may correct: their entity's, or every one for an administrator."""
    require_editor(user)
    responses = NationalResponse.objects.select_related("country")
    if not is_administrator(user):
        responses = responses.filter(entity_id=user.entity_id)
    return responses
