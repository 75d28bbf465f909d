"""Who may do what with court decisions: the app's one door.

Published decisions are public. A draft is seen only by its entity's legal officers and by
administrators; they save versions of it. Someone other than the last editor (a legal officer
of the entity, or an administrator) publishes it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ctip.caselaw.codes import DecisionStatus
from ctip.caselaw.models import Decision
from ctip.core.codes import Role
from ctip.core.models import User
from ctip.core.policies import is_administrator, require_role

EDITORS = frozenset({Role.LEGAL_OFFICER, Role.ADMINISTRATOR})


def require_editor(user: User) -> None:
    """403 unless the user may write decisions (a role rule is no secret)."""
    require_role(user, *EDITORS)


def _signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def scope_decisions(user: User | None) -> QuerySet[Decision]:
    """Published decisions for everyone; drafts too for their entity's legal officers and
    for administrators."""
    published = Q(status=DecisionStatus.PUBLISHED)
    if _signed_in(user):
        assert user is not None
        if is_administrator(user):
            return Decision.objects.all()
        if user.has_role(Role.LEGAL_OFFICER):
            return Decision.objects.filter(published | Q(entity_id=user.entity_id))
    return Decision.objects.filter(published)


def scope_own_decisions(user: User) -> QuerySet[Decision]:
    """The decisions the user may edit: their entity's, or all for an administrator."""
    require_editor(user)
    decisions = scope_decisions(user)
    if not is_administrator(user):
        decisions = decisions.filter(entity_id=user.entity_id)
    return decisions


def may_edit_decision(user: User, decision: Decision) -> bool:
    return user.has_role(*EDITORS) and (
        decision.entity_id == user.entity_id or is_administrator(user)
    )


def may_publish(user: User, decision: Decision) -> bool:
    """An editor of the decision who is not its last editor: nobody reviews their own text."""
    return may_edit_decision(user, decision) and decision.updated_by_id != user.pk
