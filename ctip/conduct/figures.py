"""Patterns for the repatriation review, and the public statistics (disclosure-controlled)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum

from ctip.conduct.codes import AllegationStatus, Category, Outcome, PersonnelCategory
from ctip.conduct.models import Allegation, Investigation, UnitCertification
from ctip.statistics.disclosure import (
    FREE,
    SECONDARY,
    Shown,
    Suppression,
    narrowed_small,
    shown,
    suppress_groups,
)

WINDOW_DAYS = 365


@dataclass(frozen=True)
class UnitPattern:
    entity: str
    country: str
    unit: str
    allegations: int
    personnel: int  # from the units' certifications, 0 when unknown
    flagged: bool

    @property
    def per_thousand(self) -> float | None:
        return 1000 * self.allegations / self.personnel if self.personnel else None


def unit_patterns(
    as_of: datetime.date, allegations: Any = None, certifications: Any = None
) -> list[UnitPattern]:
    """Allegations per registered contingent unit in the 12 months to `as_of` (however each
    was typed, one unit counts once), with the rate per 1,000 personnel where the
    certifications give the strength; a unit with at least CTIP_CONDUCT_SYSTEMIC_ALLEGATIONS
    is flagged as possibly widespread or systemic. Pages pass the user's `allegations` and
    `certifications` (from the selectors); without them, every entity's count (for the
    system's own checks). No identity is read."""
    allegations = Allegation.objects.all() if allegations is None else allegations
    certifications = UnitCertification.objects.all() if certifications is None else certifications
    since = as_of - datetime.timedelta(days=WINDOW_DAYS)
    counts = (
        allegations.filter(
            reported_on__gt=since, reported_on__lte=as_of, registered_unit__isnull=False
        )
        .values(
            "registered_unit_id",
            "registered_unit__entity__code",
            "registered_unit__country_id",
            "registered_unit__name",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    strength = {
        row["registered_unit_id"]: row["people"]
        for row in certifications.filter(registered_unit__isnull=False)
        .values("registered_unit_id")
        .annotate(people=Sum("personnel"))
        .order_by()
    }
    threshold = settings.CTIP_CONDUCT_SYSTEMIC_ALLEGATIONS
    found = [
        UnitPattern(
            row["registered_unit__entity__code"],
            row["registered_unit__country_id"] or "",
            row["registered_unit__name"],
            row["n"],
            strength.get(row["registered_unit_id"]) or 0,
            row["n"] >= threshold,
        )
        for row in counts
    ]
    return sorted(found, key=lambda p: (-p.allegations, p.entity, p.country, p.unit))


def grouped(allegations: Any, as_of: datetime.date, field: str) -> list[tuple[str, int]]:
    since = as_of - datetime.timedelta(days=WINDOW_DAYS)
    rows = (
        allegations.filter(reported_on__gt=since, reported_on__lte=as_of)
        .values(field)
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return [(str(row[field] or "—"), row["n"]) for row in rows]


@dataclass(frozen=True)
class PublicTable:
    title: str
    rows: list[tuple[str, Shown]]
    total: Shown


TABLES = (
    ("mission", "entity__code"),
    ("year", "reported_on__year"),
    ("category", "category"),
    ("personnel_category", "personnel_category"),
    ("status", "status"),
)
TOTAL, OPEN = ("total",), ("open",)
FINISHED, WITHIN, LATE = ("finished",), ("within six months",), ("later",)
# Allegations by year reported × a column of TABLES: (cell name, the all-years table, field).
# A cell is (name, year, code); each year's row adds up to ("year", year), each code's
# column to (table, code).
YEAR_CATEGORY, YEAR_PERSONNEL = "year_category", "year_personnel"
CROSS_TABLES = (
    (YEAR_CATEGORY, "category", "category"),
    (YEAR_PERSONNEL, "personnel_category", "personnel_category"),
)
# Investigations by year finished: (name, year); each year's finished = within + later, and
# each kind over the years adds up to its all-years cell.
FINISHED_YEAR, WITHIN_YEAR, LATER_YEAR = "finished_year", "within_year", "later_year"
BY_YEAR_FINISHED = ((FINISHED_YEAR, FINISHED), (WITHIN_YEAR, WITHIN), (LATER_YEAR, LATE))
BY_YEAR = {YEAR_CATEGORY, YEAR_PERSONNEL, FINISHED_YEAR, WITHIN_YEAR, LATER_YEAR}


def _counts() -> dict[tuple[str, ...], int]:
    """Every count the public page shows, keyed (table, code), (cross table, year, code),
    (name, year) or (name,). Zero cells of the by-year tables are left out (shown as 0)."""
    allegations = Allegation.objects.all()
    values: dict[tuple[str, ...], int] = {TOTAL: allegations.count()}
    for name, field in TABLES:
        for row in allegations.values(field).annotate(n=Count("pk")).order_by():
            values[(name, str(row[field]))] = row["n"]
    for name, _table, field in CROSS_TABLES:
        rows = allegations.values("reported_on__year", field).annotate(n=Count("pk")).order_by()
        for row in rows:
            values[(name, str(row["reported_on__year"]), str(row[field]))] = row["n"]
    values[OPEN] = allegations.filter(~Q(status=AllegationStatus.CLOSED)).count()
    finished = (
        Investigation.objects.exclude(outcome=Outcome.ONGOING)
        .filter(finished_on__isnull=False)
        .only("referred_on", "finished_on")
    )
    finished_in: Counter[str] = Counter()
    within_in: Counter[str] = Counter()
    for investigation in finished.iterator():  # one pass: the rule is the model's
        finished_on = investigation.finished_on
        if finished_on is None:
            continue
        finished_in[str(finished_on.year)] += 1
        if finished_on <= investigation.due_without_extensions:
            within_in[str(finished_on.year)] += 1
    values[FINISHED] = sum(finished_in.values())
    values[WITHIN] = sum(within_in.values())
    values[LATE] = values[FINISHED] - values[WITHIN]
    for year, n in finished_in.items():
        values[(FINISHED_YEAR, year)] = n
        for name, count in ((WITHIN_YEAR, within_in[year]), (LATER_YEAR, n - within_in[year])):
            if count:
                values[(name, year)] = count
    return values


def count_groups(values: dict[tuple[str, ...], int]) -> list[list[tuple[str, ...]]]:
    """The cells that add up to another: each table to the total; the open statuses to the
    open count, and open plus closed to the total; finished investigations. By year: each
    year's row of a cross table to that year's cell of the year table, each code's column to
    its all-years cell; each year's finished investigations to its within and later ones,
    and each of the three over the years to its all-years cell. A group is only made of
    cells that are there (a zero is left out, and adds nothing)."""
    found = [[TOTAL, *(key for key in values if key[0] == name)] for name, _field in TABLES]
    statuses = [key for key in values if key[0] == "status"]
    closed = ("status", str(AllegationStatus.CLOSED.value))
    found.append([OPEN, *(key for key in statuses if key != closed)])
    found.append([TOTAL, OPEN, *([closed] if closed in values else [])])
    found.append([FINISHED, WITHIN, LATE])
    for name, table, _field in CROSS_TABLES:
        rows: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        columns: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for key in sorted(key for key in values if key[0] == name):
            rows[("year", key[1])].append(key)
            columns[(table, key[2])].append(key)
        found += [
            [total, *parts] for total, parts in {**rows, **columns}.items() if total in values
        ]
    in_year: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for name, total in BY_YEAR_FINISHED:
        parts = sorted(key for key in values if key[0] == name)
        if total in values and parts:
            found.append([total, *parts])
        for key in parts:
            in_year[key[1]].append(key)
    found += [parts for parts in in_year.values() if parts[0][0] == FINISHED_YEAR]
    return [group for group in found if len(group) > 1]  # a cell alone adds up to nothing


def joint_suppression(values: dict[tuple[str, ...], int], k: int) -> Suppression:
    """One suppression for the all-years and the by-year tables together. The all-years
    cells are decided as they were before there were by-year tables; then only by-year
    cells are hidden to protect a cell (as `disclosure.suppress` does for the flows). A
    by-year table that would still let a small cell be narrowed (“<3” + “<3” under a “<3”,
    a year's row given by its column and a published zero, a chain) is withheld for every
    year: each of its cells, zeros too, is published as “C”, which says nothing of its size.
    The returned suppression hides those cells, the zeros included."""
    groups = count_groups(values)
    all_years = {key: n for key, n in values.items() if key[0] not in BY_YEAR}
    before = suppress_groups(all_years, count_groups(all_years), k)
    already = narrowed_small(all_years, count_groups(all_years), before, k, set())
    withheld: set[str] = set()
    while True:
        every = {**_zeros(values, withheld), **values}
        shut = {key for key in every if _table(key) in withheld}
        found = suppress_groups(
            values, groups, k, before.hidden | (shut & values.keys()), frozenset(all_years)
        )
        narrowed = narrowed_small(every, count_groups(every), found, k, shut) - already
        more = {_table(key) for key in narrowed if key[0] in BY_YEAR}
        # an all-years cell narrowed through the years: withhold the tables that add into it
        more |= {
            _table(member)
            for key in narrowed
            if key[0] not in BY_YEAR
            for group in count_groups(every)
            if key in group
            for member in group
            if member[0] in BY_YEAR
        }
        if not more - withheld:
            small = frozenset(found.small - shut)
            return Suppression(small, frozenset((found.hidden | shut) - small))
        withheld |= more


def _table(key: tuple[str, ...]) -> str:
    """The by-year table a cell is withheld with (the three counts of finished
    investigations go together)."""
    return FINISHED_YEAR if key[0] in (WITHIN_YEAR, LATER_YEAR) else key[0]


def _zeros(values: dict[tuple[str, ...], int], withheld: set[str]) -> dict[tuple[str, ...], int]:
    """The zero cells of the withheld tables, which are published as “C” too: every year
    and code of the data."""
    years = {key[1] for key in values if key[0] in BY_YEAR}
    found: dict[tuple[str, ...], int] = {}
    for name, table, _field in CROSS_TABLES:
        if name in withheld:
            codes = {key[1] for key in values if key[0] == table}
            found.update({(name, year, code): 0 for year in years for code in codes})
    if FINISHED_YEAR in withheld:
        for name, _total in BY_YEAR_FINISHED:
            found.update({(name, year): 0 for year in years})
    return found


@dataclass(frozen=True)
class YearFigures:
    """One year's public figures, from the same suppression as the all-years tables."""

    year: int
    allegations: Shown  # reported in the year
    by_category: list[tuple[str, Shown]]
    by_personnel_category: list[tuple[str, Shown]]
    finished: Shown  # investigations finished in the year
    within_six_months: Shown  # of those, finished within six months of referral
    share_within_six_months: float | None  # percent, only when both counts are published
    threshold: int


def _share(finished: Shown, within: Shown) -> float | None:
    if finished.status != FREE or within.status != FREE or not finished.value:
        return None
    return 100 * (within.value or 0) / finished.value


def _labels() -> dict[str, dict[str, str]]:
    return {
        "category": {code: str(label) for code, label in Category.choices},
        "personnel_category": {code: str(label) for code, label in PersonnelCategory.choices},
        "status": {code: str(label) for code, label in AllegationStatus.choices},
    }


def public_statistics() -> dict[str, Any]:
    """Allegations by mission, year, category, personnel category and status, and the share
    of finished investigations that finished within six months of referral, under the
    statistics app's disclosure control: no count from 1 to k-1, none by subtraction. The
    figures of each year (`by_year`, see `public_year`) come from the same, single run of the
    suppression, so that no year's cell is an all-years cell less the other years'."""
    k = settings.CTIP_CONDUCT_PUBLIC_THRESHOLD
    values = _counts()
    suppression = joint_suppression(values, k)

    def published(key: tuple[str, ...]) -> Shown:
        if key not in values:  # a zero left out of the counts, unless withheld
            return Shown(None, SECONDARY, k) if key in suppression.hidden else Shown(0, FREE, k)
        return shown(values[key], key, suppression, k)

    def order(key: tuple[str, ...]) -> tuple[int, int, tuple[str, ...]]:
        # by what is published only: a hidden cell's place must not tell its size
        value = published(key).value
        return (0, -value, key) if value is not None else (1, 0, key)

    labels = _labels()
    tables = {}
    for name, _field in TABLES:
        keys = sorted((key for key in values if key[0] == name), key=order)
        rows = [(str(labels.get(name, {}).get(key[1], key[1])), published(key)) for key in keys]
        tables[name] = PublicTable(name, rows, published(TOTAL))
    finished, within = published(FINISHED), published(WITHIN)
    years = sorted(
        {int(key[1]) for key in values if key[0] in ("year", FINISHED_YEAR) and key[1].isdigit()}
    )
    by_year = {}
    for year in years:
        crosses = []
        for name, table, _field in CROSS_TABLES:
            codes = _in_code_order({key[1] for key in values if key[0] == table}, labels[table])
            crosses.append(
                [(labels[table].get(c, c), published((name, str(year), c))) for c in codes]
            )
        year_finished = published((FINISHED_YEAR, str(year)))
        year_within = published((WITHIN_YEAR, str(year)))
        by_year[year] = YearFigures(
            year,
            published(("year", str(year))),
            crosses[0],
            crosses[1],
            year_finished,
            year_within,
            _share(year_finished, year_within),
            k,
        )
    return {
        "tables": tables,
        "finished": finished,
        "within_six_months": within,
        "share_within_six_months": _share(finished, within),
        "threshold": k,
        "open": published(OPEN),
        "total": published(TOTAL),
        "years": years,
        "by_year": by_year,
    }


def _in_code_order(codes: set[str], labels: dict[str, str]) -> list[str]:
    """The code list's own order, then any code outside it: never the counts' order."""
    return [c for c in labels if c in codes] + sorted(codes - set(labels))


def public_year(year: int, statistics: dict[str, Any] | None = None) -> YearFigures:
    """The public figures of one year: allegations reported in it, by category and by
    personnel category, and the investigations finished in it (and within six months), as
    suppressed together with the all-years tables. Pass `statistics` (what
    `public_statistics()` returned) to use that run rather than a new one. A year without
    any allegation or finished investigation has only zeros, which are published."""
    statistics = public_statistics() if statistics is None else statistics
    found: YearFigures | None = statistics["by_year"].get(year)
    if found is not None:
        return found
    k = statistics["threshold"]
    zero = Shown(0, FREE, k)
    labels = _labels()
    rows = []
    for _name, table, _field in CROSS_TABLES:
        shown_labels = {label for label, _shown in statistics["tables"][table].rows}
        in_order = [label for label in labels[table].values() if label in shown_labels]
        rows.append([(label, zero) for label in in_order + sorted(shown_labels - set(in_order))])
    return YearFigures(year, zero, rows[0], rows[1], zero, zero, None, k)
