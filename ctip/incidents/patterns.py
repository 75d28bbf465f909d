"""Patterns of verified incidents: per party × violation × year (and area), the trends,
the evidence behind a listing decision (the public figures are in `ctip.incidents.public`).

Only verified incidents count, and every figure says so. An incident with two violations
counts once under each; its victims are those of the incident. Everything is counted from
the incident rows' own columns (year, party, violations, victims), grouped by the database
in one pass; the few distinct violation combinations are split here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum

from ctip.incidents.codes import Verification, Violation, violation_labels
from ctip.incidents.models import Incident, Party, split_codes
from ctip.incidents.public import AbductionRow as AbductionRow
from ctip.incidents.public import PublicRow as PublicRow
from ctip.incidents.public import public_abductions as public_abductions
from ctip.incidents.public import public_figures as public_figures

UNKNOWN_PARTY = "unknown"
PATTERN_COLUMNS = ["party", "violation", "year", "verified_incidents", "victims"]


@dataclass(frozen=True)
class PatternRow:
    party: str  # the party's name, or "unknown"
    violation: str
    year: int
    verified_incidents: int
    victims: int

    def as_list(self) -> list[Any]:
        return [self.party, self.violation, self.year, self.verified_incidents, self.victims]

    @property
    def violation_label(self) -> str:
        return violation_labels([self.violation])[0]


def _within(
    incidents: QuerySet[Incident], date_from: datetime.date | None, date_to: datetime.date | None
) -> QuerySet[Incident]:
    found = incidents.filter(status=Verification.VERIFIED)
    if date_from:
        found = found.filter(date__gte=date_from)
    if date_to:
        found = found.filter(date__lte=date_to)
    return found


def counts(
    incidents: QuerySet[Incident],
    by: tuple[str, ...] = ("party_id", "year"),
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> dict[tuple, list[int]]:
    """(*by values, violation) → [verified incidents, victims]."""
    found: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    grouped = (
        _within(incidents, date_from, date_to)
        .order_by()
        .values(*by, "violations")
        .annotate(n=Count("pk"), v=Sum("victims"))
    )
    for row in grouped:
        key = tuple(row[name] for name in by)
        for violation in split_codes(row["violations"]):
            cell = found[(*key, violation)]
            cell[0] += row["n"]
            cell[1] += row["v"] or 0
    return dict(found)


def _party_names(ids: set[int]) -> dict[int | None, str]:
    names: dict[int | None, str] = {None: UNKNOWN_PARTY}
    names.update(Party.objects.filter(pk__in=ids).values_list("pk", "name"))
    return names


def pattern_rows(
    incidents: QuerySet[Incident],
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[PatternRow]:
    """Verified incidents and victims per party × violation × year, the export's rows."""
    found = counts(incidents, ("party_id", "year"), date_from, date_to)
    names = _party_names({key[0] for key in found if key[0]})
    rows = [
        PatternRow(names[party], violation, year, n, victims)
        for (party, year, violation), (n, victims) in found.items()
    ]
    return sorted(rows, key=lambda r: (r.party == UNKNOWN_PARTY, r.party, r.violation, r.year))


def by_area(
    incidents: QuerySet[Incident],
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[tuple[str, str, int, int]]:
    """(country, admin1, verified incidents, victims), most incidents first."""
    grouped = (
        _within(incidents, date_from, date_to)
        .order_by()
        .values("country_id", "admin1")
        .annotate(n=Count("pk"), v=Sum("victims"))
    )
    rows = [(r["country_id"], r["admin1"] or "—", r["n"], r["v"] or 0) for r in grouped]
    return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


def trends(rows: list[PatternRow]) -> dict[str, dict[int, int]]:
    """Violation → year → verified incidents, for the trend table and chart."""
    found: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        found[row.violation][row.year] += row.verified_incidents
    return {violation: dict(years) for violation, years in found.items()}


def points(
    incidents: QuerySet[Incident],
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    limit: int = 5_000,
) -> list[tuple[float, float, int]]:
    """(latitude, longitude, victims) of verified incidents with coordinates, for the map."""
    found = (
        _within(incidents, date_from, date_to)
        .exclude(latitude=None)
        .values_list("latitude", "longitude", "victims")[:limit]
    )
    return [(float(lat or 0), float(lon or 0), victims) for lat, lon, victims in found]


@dataclass(frozen=True)
class Evidence:
    """Per year and violation, what the verified incidents attributed to a party show,
    beside the years and violations it was listed for."""

    party: Party
    years: list[int]
    rows: list[tuple[str, str, list[tuple[int, int]]]]  # code, name, [(incidents, victims) by year]
    listed: dict[tuple[str, int], bool]  # (violation, report year) → listed for it
    unverified: int  # incidents attributed to it that are not (yet) verified


def evidence(incidents: QuerySet[Incident], party: Party) -> Evidence:
    """The counts that support or do not support a listing, year by year, from `incidents`
    of every status (only the verified are counted; the others are said to exist). The
    annex of a year's report covers the previous year's violations."""
    own = incidents.filter(party=party)
    found = counts(own, ("year",))
    years = sorted({key[0] for key in found})
    rows = [
        (violation, label, [tuple(found.get((year, violation), [0, 0])) for year in years])
        for violation, label in zip(
            Violation.values, violation_labels(Violation.values), strict=True
        )
        if any((year, violation) in found for year in years)
    ]
    listed = {
        (violation, listing.year): True
        for listing in party.listings.all()
        for violation in listing.violation_codes
    }
    unverified = own.exclude(status=Verification.VERIFIED).count()
    return Evidence(party, years, rows, listed, unverified)  # type: ignore[arg-type]
