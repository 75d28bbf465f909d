"""Reading loose values typed by people or found in files: lists and yes/no in six languages."""

import datetime
import re
import unicodedata
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

YES = {"1", "true", "yes", "y", "on", "是", "oui", "sí", "si", "да", "نعم"}
NO = {"0", "false", "no", "n", "off", "否", "non", "нет", "لا"}
UNKNOWN = {"", "none", "unknown", "null", "n/a"}


def split_items(value: Any) -> list[str]:
    """A list from a list, or from text separated by “;” or new lines."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("\n", ";").split(";")
    return [str(v).strip() for v in value if str(v).strip()]


def parse_flag(value: Any) -> bool | None:
    """True, False or None (unknown); ValueError for anything else."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold() if value is not None else ""
    if text in UNKNOWN:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(text)


# ASCII digits only: "²" or "١٢" pass str.isdigit() but int() refuses the first and a person
# typing a count did not mean the second; 19 digits is past any database integer.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1


def parse_whole_number(raw: Any, *, maximum: int, minimum: int = 0) -> int | None:
    """A whole number from `minimum` to `maximum` typed by a person or read from a URL or a
    file, or None for anything else: never an exception, so never a 500."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if minimum <= raw <= maximum else None
    text = str(raw if raw is not None else "").strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


MAX_PEOPLE = 10_000  # victims in one allegation or incident: more is a typing error


def parse_people(
    raw: Any, name: str, errors: dict[str, str], default: int = 0, maximum: int = MAX_PEOPLE
) -> int:
    """A count of people from 0 to `maximum`; empty is `default`; anything else a message."""
    if not str(raw if raw is not None else "").strip():
        return default
    value = parse_whole_number(raw, maximum=maximum)
    if value is None:
        errors[name] = _("A whole number from 0 to %(n)s.") % {"n": f"{maximum:,}"}
        return default
    return value


def parse_choice(raw: Any, name: str, choices: Any, errors: dict[str, str]) -> str:
    """A code of `choices` (a TextChoices), or a message listing the codes."""
    value = str(raw or "").strip()
    if value not in choices.values:
        errors[name] = _("One of: %(codes)s") % {"codes": ", ".join(choices.values)}
    return value


def parse_id(raw: Any) -> int | None:
    """A database id from a URL, a query string or a form, or None."""
    return parse_whole_number(raw, minimum=1, maximum=MAX_ID)


def parse_past_date(raw: Any, name: str, errors: dict[str, str], required: bool = False) -> Any:
    """An ISO date (a date-time from a field form counts by its date) that is not in the
    future, or None with a message under `name` in `errors`, so one ValidationError can name
    every bad field of a form at once."""
    text = str(raw or "").strip()
    if len(text) > 10 and text[10] in "T ":
        text = text[:10]
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


def day_after(day: datetime.date) -> datetime.datetime:
    """The first instant (UTC) after `day`: a bound for timestamps up to and including it,
    without casting every row's timestamp to a date (a Python call per row on SQLite)."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, datetime.UTC
    )


def unprintable(text: str) -> bool:
    """Control characters (a newline in an id breaks an e-mail header) or bidirectional
    overrides (they turn the text around on screen): refused in names and ids."""
    return any(
        unicodedata.category(c) == "Cc"
        or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for c in text
    )
