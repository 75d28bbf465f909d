"""Parsing of raw input shared by the services (strings from a form, the API or a file).
Each parser adds a message to `errors` under the field's name instead of raising, so one
ValidationError can name every bad field at once."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ctip.core.values import parse_whole_number

SUBJECT_PURPOSE = "conduct.subject"
MAX_PEOPLE = 10_000


def parse_people(raw: Any, name: str, errors: dict[str, str], default: int = 0) -> int:
    if not str(raw if raw is not None else "").strip():
        return default
    value = parse_whole_number(raw, maximum=MAX_PEOPLE)
    if value is None:
        errors[name] = _("A whole number from 0 to %(n)s.") % {"n": f"{MAX_PEOPLE:,}"}
        return default
    return value


def parse_choice(raw: Any, name: str, choices: Any, errors: dict[str, str]) -> str:
    value = str(raw or "").strip()
    if value not in choices.values:
        errors[name] = _("One of: %(codes)s") % {"codes": ", ".join(choices.values)}
    return value


def allegation_path(allegation_id: int) -> str:
    return reverse("conduct:detail", args=[allegation_id])
