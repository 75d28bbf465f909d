"""Reading loose values typed by people or found in files: lists and yes/no in six languages."""

from typing import Any

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
