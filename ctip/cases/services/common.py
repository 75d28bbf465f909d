"""What the cases services share: date parsing and the case's timeline."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.cases.models import Case, CaseEvent
from ctip.core.models import User


def parse_date(raw: Any, name: str, errors: dict[str, str], required: bool = False) -> Any:
    text = str(raw or "").strip()[:10]
    if not text:
        if required:
            errors[name] = _("This field is required.")
        return None
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        errors[name] = _("A date such as 2024-03-31.")
        return None
    if value > timezone.localdate():
        errors[name] = _("A date cannot be in the future.")
    return value


def case_event(case: Case, kind: str, actor: User | None, note: str = "") -> None:
    """One line of the case's timeline (never an identity value)."""
    CaseEvent.objects.create(case=case, kind=kind, actor=actor, note=note[:500])
