"""What the cases services share: the case's timeline."""

from __future__ import annotations

import json
from typing import Any

from ctip.cases.models import Case, CaseEvent
from ctip.core.models import User


def case_event(
    case: Case,
    kind: str,
    actor: User | None,
    note: str = "",
    *,
    changes: dict[str, Any] | None = None,
    previous_identity: dict[str, str] | None = None,
) -> CaseEvent:
    """One line of the case's timeline (`note` and `changes` never hold an identity value;
    previous identity values go encrypted into `previous_identity`)."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        note=note[:500],
        changes=changes or {},
        previous_identity=json.dumps(previous_identity) if previous_identity else "",
    )
