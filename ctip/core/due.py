"""What is due for a user today, across the apps: the home page's list of things to do.

Each app that has work to hand out says so in a `due.py` module with a function
`due(user, today) -> list[Due]`, reading through its own user-scoped selectors; this module
finds those modules, asks each, and keeps what is not zero. A role an app does not serve gets
nothing from it (a selector's 403 counts as nothing to do).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule

from ctip.core.models import User


@dataclass(frozen=True)
class Due:
    label: str | Promise  # what is to be done, e.g. "Follow-ups due"
    count: int
    url: str  # the list that shows exactly these, filtered
    overdue: bool = False  # late already: shown first


def due_for(user: User, today: datetime.date) -> list[Due]:
    found: list[Due] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("ctip.") or not module_has_submodule(config.module, "due"):
            continue
        ask = getattr(import_module(f"{config.name}.due"), "due", None)
        if ask is None:  # this module itself
            continue
        try:
            found += ask(user, today)
        except (PermissionDenied, Http404):
            continue
    return sorted((d for d in found if d.count), key=lambda d: not d.overdue)
