"""The report's figures, as printed: each read from an app's public, disclosure-controlled
function (never from records), written in the report's language, and carrying its source
for the footnote. A hidden cell stays hidden (“<5”, “C”); a total over hidden cells is
printed as the least it can be (“at least 40”), never as a number the data does not give.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ctip.reports.codes import Section
from ctip.statistics.disclosure import FREE, SMALL, Shown


@dataclass(frozen=True)
class Figure:
    """A value as printed, with where it comes from (the footnote)."""

    text: str
    source: str


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[str | Figure]]  # a row's label, then its figures
    source: str


@dataclass(frozen=True)
class Chart:
    title: str
    spec: dict[str, Any]  # Vega-Lite, rendered as SVG for the PDF and PNG for Word
    source: str


@dataclass
class SectionFigures:
    """What the data gives a section: its named figures (for the authors' placeholders),
    its tables and its charts. A section without any data has `empty` set, and says why."""

    section: Section
    figures: dict[str, Figure] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    empty: str = ""


# The figures each section offers its authors, by name. `names_of` reads them to check a
# text when it is saved, whatever the year's data; a figure the year lacks prints “—”.
COMMON = ("year",)
NAMES: dict[str, tuple[str, ...]] = {
    Section.INTRODUCTION: ("victims_detected", "countries_reporting", "release_version"),
    Section.VICTIMS: (
        "victims_detected",
        "victims_female",
        "victims_male",
        "victims_children",
        "victims_adults",
        "victims_foreign_share",
        "victims_conflict_related",
        "countries_reporting",
        "release_version",
    ),
    Section.FLOWS: (
        "victims_foreigners",
        "victims_nationals",
        "victims_foreign_share",
        "flows_published",
        "flows_transregional",
    ),
    Section.CONFLICT: (
        "incidents_verified",
        "incident_victims",
        "situations_with_incidents",
        "abductions_verified",
        "abduction_victims",
        "parties_named",
    ),
    Section.FLOW_MONITORING: ("surveys_published", "survey_respondents"),
    Section.CONDUCT: (
        "allegations_in_year",
        "allegations_total",
        "investigations_finished",
        "investigations_within_six_months",
        "share_within_six_months",
    ),
    Section.CASE_LAW: ("decisions_in_year", "jurisdictions_in_year", "decisions_total"),
    Section.TREATIES: (
        "protocol_parties",
        "convention_parties",
        "countries_criminalizing_fully",
        "countries_with_response",
    ),
    Section.FUNDS: ("funds", "grants_started", "disbursed_usd"),
    Section.EARLY_WARNING: ("situations_shared",),
    Section.RECOMMENDATIONS: ("victims_detected", "countries_reporting"),
}


def names_of(section: str) -> tuple[str, ...]:
    return COMMON + NAMES.get(section, ())


def require_release(year: int) -> None:
    """ValidationError unless the year has a published GLOTIP release (the report's base)."""
    from ctip.statistics import selectors

    try:
        selectors.latest_release(year=year)
    except Http404:
        raise ValidationError(
            _("%(year)s has no published GLOTIP release: publish the round first.") % {"year": year}
        ) from None


# --- printing values in the report's language (call under translation.override) ----------


def number(value: int | Decimal | float, decimals: int | None = None) -> str:
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def count(value: Shown | int | None, source: str) -> Figure:
    """A count: the number, or the published mark of a hidden cell, or “—” for none."""
    if value is None:
        return Figure("—", source)
    if isinstance(value, Shown):
        if value.status != FREE or value.value is None:
            return Figure(value.text, source)
        value = value.value
    return Figure(number(value), source)


def percent(value: float | None, source: str) -> Figure:
    if value is None:
        return Figure("—", source)
    return Figure(_("%(n)s %%") % {"n": number(value, 1)}, source)


def money(amount: Decimal, currency: str, source: str) -> Figure:
    return Figure(f"{number(amount, 0)} {currency}", source)


def total(values: Iterable[Shown], source: str) -> Figure:
    """The sum of published counts; when some are hidden, the least the sum can be (a
    hidden small cell is at least 1: zeros are published)."""
    values = list(values)
    known = sum(v.value or 0 for v in values if v.status == FREE)
    if all(v.status == FREE for v in values):
        return count(known, source)
    least = known + sum(1 for v in values if v.status == SMALL)
    return Figure(_("at least %(n)s") % {"n": number(least)}, source)


def share(part: Shown | None, whole: Sequence[Shown | None], source: str) -> Figure:
    """part / sum(whole) as a percentage, only when every value is published."""
    if part is None or any(v is None or v.status != FREE for v in [part, *whole]):
        return percent(None, source)
    denominator = sum(v.value or 0 for v in whole if v is not None)
    if not denominator:
        return percent(None, source)
    return percent(100 * (part.value or 0) / denominator, source)
