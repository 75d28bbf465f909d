"""Who may do what: the one place where role rules live."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_otp import user_has_device

from ctip.core.codes import Role
from ctip.core.models import Entity, User


def require_role(user: User, *roles: str) -> None:
    """Raise PermissionDenied (403) unless the user is active and holds one of the roles.

    A role rule is no secret, so 403 is fine here; object-level refusals use `not_found`.
    """
    if not getattr(user, "is_authenticated", False) or not user.has_role(*roles):
        raise PermissionDenied


def is_administrator(user: User) -> bool:
    return user.has_role(Role.ADMINISTRATOR)


def can_see_entity_records(user: User, entity: Entity) -> bool:
    """Members see their own entity's records; administrators run the system for all."""
    return user.is_active and (user.entity_id == entity.pk or is_administrator(user))


def not_found() -> Http404:
    """The same answer for 'missing' and 'not yours', so ids cannot be probed."""
    return Http404("not found")


def needs_second_factor(user: User) -> bool:
    """True while a signed-in user who has (or must have) a second factor has not passed it
    in this session. Such a session gets no page, API answer or token: the one rule the
    middleware, the API's session auth and token minting all ask."""
    if not getattr(user, "is_authenticated", False):
        return False
    is_verified = getattr(user, "is_verified", None)  # django-otp's middleware adds it
    if is_verified is not None and is_verified():
        return False
    return user.requires_two_factor or user_has_device(user)
