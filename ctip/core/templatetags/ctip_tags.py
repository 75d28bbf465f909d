from decimal import Decimal

from django import template
from django.forms import BoundField, Form
from django.utils.formats import number_format
from django.utils.html import format_html

from ctip.core.audit import action_label
from ctip.core.codes import JobKind
from ctip.core.models import Country, Region
from ctip.core.reference import country_name, country_name_for_code, region_name

register = template.Library()


@register.filter(name="country_name")
def country_name_filter(country: Country | None) -> str:
    return country_name(country) if country is not None else ""


@register.filter(name="country_names")
def country_names_filter(codes: str | list[str] | None) -> str:
    """Alpha-3 codes ("MMR;VNM" or a list) as UN names in the active language:
    "Myanmar, Viet Nam"."""
    items = codes.split(";") if isinstance(codes, str) else list(codes or [])
    return ", ".join(country_name_for_code(code.strip()) for code in items if code.strip())


@register.filter(name="country_code_name")
def country_code_name_filter(code: str | None) -> str:
    """One alpha-3 code ("IRQ") as its UN name in the active language."""
    return country_name_for_code(code) if code else ""


@register.filter(name="region_name")
def region_name_filter(region: Region | None) -> str:
    return region_name(region)


@register.filter
def field_errors(form: Form) -> list[tuple[BoundField, str]]:
    """Each error of a field with its field, for a summary above the form that names them."""
    return [(field, str(error)) for field in form for error in field.errors]


@register.filter(name="audit_action")
def audit_action_filter(action: str) -> str:
    """An audit action code ("caselaw.decision_published") as words."""
    return action_label(action)


@register.filter(name="job_kind")
def job_kind_filter(kind: str) -> str:
    """A background job's kind ("audit_export") as words; an unknown kind as its code."""
    return str(JobKind(kind).label) if kind in JobKind.values else kind


@register.filter(name="exploitation_forms")
def exploitation_forms_filter(codes: str | list[str] | None) -> str:
    """Forms of exploitation ("ForcedLabour;SexualExploitation" or a list) in words."""
    from ctip.core.codes import FormOfExploitation

    found = codes.split(";") if isinstance(codes, str) else list(codes or [])
    return "; ".join(
        str(FormOfExploitation(code).label) if code in FormOfExploitation.values else code
        for code in found
        if code
    )


@register.filter
def bdi(value: object) -> str:
    """A value isolated from the text around it (a date or a name inside a translated
    sentence), so that it keeps its own direction on a right-to-left page."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def figure(value: object) -> str:
    """A published number written as the active language writes it (1,234 / 1 234 / 1.234):
    a hidden value (“<5”, “C”) and anything that is not a number are left as they are."""
    from ctip.statistics.disclosure import FREE, Shown

    if isinstance(value, Shown):
        return figure(value.value) if value.status == FREE else value.text
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return "" if value is None else str(value)
    return number_format(value, force_grouping=True)
