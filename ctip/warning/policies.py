"""Who sees early warning: the one place where the warning app's access rules live.

A situation's signals, assessments and alerts are for the people who watch it: analysts and
monitors (who pass a second factor) chosen by an administrator. Analysts who watch a
situation record its assessments; every watcher acknowledges its alerts. An administrator
decides who watches but reads no assessment. The framework itself (indicators, definitions,
weights) is public; the scores are not, except the level of a situation's latest assessment
once a second analyst who watches it has cleared it for publication (four eyes). A situation
not watched is the same 404 as a missing one, so that which situations are assessed cannot
be probed.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.core.codes import Role
from ctip.core.models import ConflictSituation, User
from ctip.core.policies import not_found, require_role
from ctip.warning.codes import ShareRefusal
from ctip.warning.models import Alert, Assessment, Watch

WATCHERS = (Role.ANALYST, Role.MONITOR)
ASSESSORS = (Role.ANALYST,)
KEEPERS = (Role.ADMINISTRATOR,)


def require_watcher_role(user: User) -> None:
    require_role(user, *WATCHERS)


def require_keeper(user: User) -> None:
    require_role(user, *KEEPERS)


def may_watch(user: User) -> bool:
    return user.is_active and user.has_role(*WATCHERS)


def situations_scope(user: User) -> QuerySet[ConflictSituation]:
    """The situations the user watches (403 for a role that never watches)."""
    require_watcher_role(user)
    watched = Watch.objects.filter(user=user).values("situation_id")
    return ConflictSituation.objects.filter(pk__in=watched)


def require_situation(user: User, situation: ConflictSituation) -> None:
    """For services handed a situation: 403 for another role, 404 when not watched."""
    if not situations_scope(user).filter(pk=situation.pk).exists():
        raise not_found()


def may_assess(user: User, situation: ConflictSituation) -> bool:
    return user.has_role(*ASSESSORS) and situations_scope(user).filter(pk=situation.pk).exists()


def require_assessor(user: User, situation: ConflictSituation) -> None:
    require_situation(user, situation)
    require_role(user, *ASSESSORS)


def is_latest(assessment: Assessment) -> bool:
    """Whether no later assessment of its situation supersedes it (as of, then recorded)."""
    latest = (
        Assessment.objects.filter(situation_id=assessment.situation_id)
        .order_by("-as_of", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return latest == assessment.pk


def share_refusal(user: User, assessment: Assessment) -> ShareRefusal | None:
    """Why the user may not clear the assessment for publication, for an analyst who watches
    its situation (None: they may): not their own (four eyes), only one that has a level,
    only the situation's latest."""
    if assessment.author_id == user.pk:
        return ShareRefusal.OWN
    if not assessment.level:
        return ShareRefusal.NO_LEVEL
    if not is_latest(assessment):
        return ShareRefusal.SUPERSEDED
    return None


def may_share(user: User, assessment: Assessment) -> bool:
    """Whether the user may clear the assessment for publication (the page's button)."""
    return may_assess(user, assessment.situation) and share_refusal(user, assessment) is None


def may_unshare(user: User, assessment: Assessment) -> bool:
    """Any analyst who watches the situation may withdraw a clearance, the author included."""
    return may_assess(user, assessment.situation)


def require_sharer(user: User, assessment: Assessment) -> None:
    """For the sharing services: 403 for another role, 404 when the situation is not
    watched. The rules of `share_refusal` are the service's to state (a ValidationError)."""
    require_assessor(user, assessment.situation)


def assessments_scope(user: User) -> QuerySet[Assessment]:
    return Assessment.objects.filter(situation__in=situations_scope(user))


def alerts_scope(user: User) -> QuerySet[Alert]:
    return Alert.objects.filter(situation__in=situations_scope(user))


def watchers_of(situation: ConflictSituation) -> QuerySet[User]:
    """Who is told of the situation's alerts: its watchers who still hold a watching role."""
    found = User.objects.filter(
        pk__in=Watch.objects.filter(situation=situation).values("user_id"), is_active=True
    )
    return found.filter(role__in=WATCHERS)
