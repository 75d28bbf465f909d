"""What the cases services share: the case's timeline."""

from __future__ import annotations

from ctip.cases.models import Case, CaseEvent
from ctip.core.models import User


def case_event(case: Case, kind: str, actor: User | None, note: str = "") -> None:
    """One line of the case's timeline (never an identity value)."""
    CaseEvent.objects.create(case=case, kind=kind, actor=actor, note=note[:500])
