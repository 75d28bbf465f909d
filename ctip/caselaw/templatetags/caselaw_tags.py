"""Codes of court decisions shown as words in the reader's language."""

from django import template
from django.utils.translation import gettext as _

from ctip.caselaw.codes import EvidentialIssue, Verdict
from ctip.core.codes import FormOfExploitation
from ctip.core.reference import country_name_for_code

register = template.Library()


def _label(choices: type, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


@register.filter
def exploitation_labels(codes: list[str]) -> str:
    """["ForcedMarriage", …] → "Forced marriage, …"."""
    return ", ".join(_label(FormOfExploitation, code) for code in codes)


@register.filter
def people_label(part: str) -> str:
    """A key of a decision's victims or defendants ("count", "female"…) as words."""
    labels = {
        "count": _("number"),
        "female": _("female"),
        "male": _("male"),
        "children": _("children"),
    }
    return labels.get(part, part)


@register.filter
def facet_label(value: str, facet: str) -> str:
    """A search facet's value (a code) as words: a country's name, a verdict's label…"""
    if facet in {"country", "victims", "defendants"}:
        return country_name_for_code(value)
    if facet == "form":
        return _label(FormOfExploitation, value)
    if facet == "verdict":
        return _label(Verdict, value)
    if facet == "issue":
        return _label(EvidentialIssue, value)
    if facet == "conflict":
        return _("Yes") if value == "yes" else _("No") if value == "no" else value
    return value
