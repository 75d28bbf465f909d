"""Parsing of raw input shared by the services (strings from a form, the API or a file).
Each parser adds a message to `errors` under the field's name instead of raising, so one
ValidationError can name every bad field at once."""

from __future__ import annotations

from django.urls import reverse

from ctip.core.values import MAX_PEOPLE, parse_choice, parse_people, parse_whole_number

__all__ = ["MAX_PEOPLE", "parse_choice", "parse_people", "parse_whole_number"]

SUBJECT_PURPOSE = "conduct.subject"


def allegation_path(allegation_id: int) -> str:
    return reverse("conduct:detail", args=[allegation_id])
