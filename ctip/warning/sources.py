"""Where the signals come from: each app's monthly counts, attributed to conflict situations.

As of a past date, only what was recorded by then counts (`ctip.core.selectors.known_on`):
the signals as they could have been seen that day.

Incidents and cases name their situation. Screenings, tips and allegations name only the
entity that recorded them: they count in a situation when that entity's country is one of
the situation's and the month is within its dates (a mission's screenings in its host
country). Flow monitoring counts in a situation through the published releases' estimates
by country of interview, weighted by their respondents; a month without a release is
unknown, not zero. Every count is as of a date: nothing recorded (or verified) after it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ctip.cases import selectors as cases
from ctip.conduct import selectors as conduct
from ctip.core.models import ConflictSituation, Entity
from ctip.core.values import day_after
from ctip.incidents import selectors as incidents
from ctip.incidents.codes import Violation
from ctip.surveys import selectors as surveys
from ctip.warning.codes import Signal

Month = int  # year * 12 + month - 1: months in a row are consecutive integers


def month_of(day: datetime.date) -> Month:
    return day.year * 12 + day.month - 1


def month_text(text: str) -> Month:
    """'YYYY-MM' (what the databases give) -> Month."""
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def first_day(month: Month) -> datetime.date:
    return datetime.date(month // 12, month % 12 + 1, 1)


@dataclass
class Place:
    """A situation as the attribution needs it: its countries and its months."""

    pk: int
    name: str
    countries: set[str]
    first: Month
    last: Month | None


@dataclass
class Series:
    """Every signal's monthly values for the situations, as of a date."""

    places: list[Place]
    values: dict[int, dict[str, dict[Month, float]]] = field(default_factory=dict)

    def add(self, situation: int, signal: str, month: Month, value: float) -> None:
        by_month = self.values.setdefault(situation, {}).setdefault(signal, {})
        by_month[month] = by_month.get(month, 0) + value


def places() -> list[Place]:
    found = ConflictSituation.objects.prefetch_related("countries").order_by("name")
    return [
        Place(
            s.pk,
            s.name,
            {c.alpha3 for c in s.countries.all()},
            month_of(s.start_date),
            month_of(s.end_date) if s.end_date else None,
        )
        for s in found
    ]


def collect(as_of: datetime.date) -> Series:
    series = Series(places())
    _incidents(series, as_of)
    for row in cases.cases_by_month(as_of):
        series.add(row["conflict_situation_id"], Signal.CASES, month_text(row["month"]), row["n"])
    by_entity = [
        (Signal.PRESUMED_VICTIMS, cases.presumed_victims_by_month(as_of)),
        (Signal.TIPS, cases.tips_by_month(as_of)),
        (Signal.ALLEGATIONS, conduct.allegations_by_month(as_of)),
    ]
    entity_country = dict(
        Entity.objects.filter(country__isnull=False).values_list("pk", "country__alpha3")
    )
    for signal, rows in by_entity:
        _by_country(series, signal, rows, entity_country)
    _flow_prevalence(series, as_of)
    return series


def _incidents(series: Series, as_of: datetime.date) -> None:
    for row in incidents.verified_by_month(as_of):
        situation, month = row["situation_id"], month_text(row["month"])
        violations = row["violations"].split(";")
        series.add(situation, Signal.INCIDENTS, month, row["incidents"])
        if Violation.ABDUCTION in violations:
            series.add(situation, Signal.ABDUCTIONS, month, row["victims"] or 0)
        if Violation.SEXUAL_VIOLENCE in violations:
            series.add(situation, Signal.SEXUAL_VIOLENCE, month, row["incidents"])


def _within(place: Place, month: Month) -> bool:
    return place.first <= month and (place.last is None or month <= place.last)


def _by_country(
    series: Series, signal: str, rows: Iterable[dict[str, Any]], entity_country: dict[int, str]
) -> None:
    situations_of: dict[str, list[Place]] = defaultdict(list)
    for place in series.places:
        for country in place.countries:
            situations_of[country].append(place)
    for row in rows:
        month = month_text(row["month"])
        for place in situations_of.get(entity_country.get(row["entity_id"], ""), []):
            if _within(place, month):
                series.add(place.pk, signal, month, row["n"])


def _flow_prevalence(series: Series, as_of: datetime.date) -> None:
    """Per situation and month: the latest release of each survey published that month, its
    'any indicator' estimates in the situation's countries, weighted by respondents."""
    latest: dict[tuple[str, Month], Any] = {}
    for release in surveys.releases_public().filter(published_at__lt=day_after(as_of)):
        key = (release.survey.code, month_of(release.published_at.date()))
        if key not in latest or latest[key].published_at < release.published_at:
            latest[key] = release
    sums: dict[tuple[int, Month], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (_code, month), release in latest.items():
        for row in release.rows:
            if (row["breakdown"], row["indicator"]) != ("country_of_interview", "any"):
                continue
            if row.get("too_few") or row.get("prevalence") is None:
                continue
            for place in series.places:
                if row["group"] in place.countries and _within(place, month):
                    total = sums[(place.pk, month)]
                    total[0] += row["prevalence"] * row["n"]
                    total[1] += row["n"]
    for (situation, month), (weighted, n) in sums.items():
        series.values.setdefault(situation, {}).setdefault(Signal.FLOW_PREVALENCE, {})[month] = (
            weighted / n
        )
