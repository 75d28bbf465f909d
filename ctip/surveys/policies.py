"""Who works with surveys: the one place for the surveys app's access rules.

A survey belongs to an entity (IOM's DTM, a protection cluster): its analysts and focal
points define it, import responses and read the estimates; its analysts publish them.
Nobody of another entity reads a survey's responses or unpublished estimates (the same 404
as a missing survey); a release, once published, is public. No identity is ever collected.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.core.codes import Role
from ctip.core.models import User
from ctip.core.policies import not_found, require_role
from ctip.surveys.models import Survey

SURVEYORS = (Role.ANALYST, Role.FOCAL_POINT)
PUBLISHERS = (Role.ANALYST,)


def require_surveyor(user: User) -> None:
    require_role(user, *SURVEYORS)


def may_publish(user: User, survey: Survey) -> bool:
    return user.has_role(*PUBLISHERS) and survey.entity_id == user.entity_id


def require_publisher(user: User, survey: Survey) -> None:
    """404 for another entity's survey, 403 for a focal point: analysts publish."""
    require_survey(user, survey)
    require_role(user, *PUBLISHERS)


def surveys_scope(user: User) -> QuerySet[Survey]:
    require_surveyor(user)
    return Survey.objects.filter(entity_id=user.entity_id)


def require_survey(user: User, survey: Survey) -> None:
    """For services handed a survey: 403 for another role, 404 for another entity's."""
    require_surveyor(user)
    if survey.entity_id != user.entity_id:
        raise not_found()
