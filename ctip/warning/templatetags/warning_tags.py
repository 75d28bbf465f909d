from django import template

from ctip.warning.codes import Level, Signal

register = template.Library()


@register.filter
def level_name(code: str | None) -> str:
    """A level's name in the user's language; '—' when there is none yet."""
    return str(dict(Level.choices).get(code or "", "—"))


@register.filter
def signal_name(code: str) -> str:
    return str(dict(Signal.choices).get(code, code))


@register.filter
def score(value: float | None) -> str:
    """A 0-1 score with two decimals, or '—'."""
    return "—" if value is None else f"{value:.2f}"
