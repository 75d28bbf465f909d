"""Who may do what with the annual report: the app's one door.

The report's figures are public. The report is the Secretary-General's, so its texts are
written in the UN system: by the analysts (the people who publish the statistics) and the
administrators of UN missions and agencies. One of them other than the last editor approves
each text (four eyes, as for court decisions). Drafts are seen only by them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ctip.core.codes import EntityKind, Role
from ctip.core.models import User
from ctip.core.policies import require_role
from ctip.reports.models import Narrative

AUTHORS = frozenset({Role.ANALYST, Role.ADMINISTRATOR})
UN_SYSTEM = frozenset({EntityKind.UN_MISSION, EntityKind.UN_AGENCY})


def require_author(user: User) -> None:
    """403 unless the user writes and builds the report (a role rule is no secret)."""
    require_role(user, *AUTHORS)
    if user.entity.kind not in UN_SYSTEM:
        raise PermissionDenied


def is_author(user: User) -> bool:
    return user.has_role(*AUTHORS) and user.entity.kind in UN_SYSTEM


def may_approve(user: User, narrative: Narrative) -> bool:
    """An author who wrote none of the versions since the last approved one: nobody
    approves their own wording, even after someone else's small edit."""
    if not is_author(user):
        return False
    since = narrative.versions.filter(version__gt=narrative.approved_version or 0)
    return not since.filter(saved_by=user).exists()
