"""From submissions to figures: every statistic is a sum of long-format cells.

A submission's table is derived from its victim records (detected victims by sex × age,
by form of exploitation, by citizenship, conflict-related) plus the aggregate cells it
reported for indicators its records do not cover. A round's figures add the tables of the
chosen submissions, per country of detection, and keep which submissions each came from.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from ctip.core.codes import AgeGroup, Sex
from ctip.core.models import Country
from ctip.statistics.codes import (
    CONFLICT_RELATED,
    FOREIGNERS,
    NATIONALS,
    TOTAL,
    Dimension,
    FlowKind,
    Indicator,
    ValueStatus,
)
from ctip.statistics.models import (
    AggregateValue,
    DuplicateMember,
    Submission,
    VictimRecord,
    split_codes,
)
from ctip.statistics.validation import Key

UNKNOWN = "Unknown"
# A cell of a round: country (ISO alpha-3) plus the long-format key.
CellKey = tuple[str, str, str, str, str, str]


def duplicate_record_ids(submission_ids: list[int]) -> set[int]:
    """Records that repeat a person already counted: every member of a confirmed cluster but
    the first (lowest id), so each person counts once, in the first reporter's figures."""
    members = (
        DuplicateMember.objects.filter(
            cluster__status="confirmed", record__submission_id__in=submission_ids
        )
        .values_list("cluster_id", "record_id")
        .order_by("cluster_id", "record_id")
    )
    seen: set[int] = set()
    repeats: set[int] = set()
    for cluster_id, record_id in members:
        if cluster_id in seen:
            repeats.add(record_id)
        seen.add(cluster_id)
    return repeats


def _record_cells(
    submission_ids: list[int], only: AbstractSet[int] | None = None
) -> dict[tuple[int, Key], int]:
    """Cells derived from victim records (all of them, or `only` those records)."""
    cells: dict[tuple[int, Key], int] = collections.defaultdict(int)
    victims = Indicator.DETECTED_VICTIMS.value
    records = VictimRecord.objects.filter(submission_id__in=submission_ids)
    if only is not None:
        records = records.filter(pk__in=only)
    for row in records.values("submission_id", "sex", "age_group").annotate(n=Count("pk")):
        sid, sex, age, n = row["submission_id"], row["sex"], row["age_group"], row["n"]
        for s in {sex, Sex.TOTAL}:
            for a in {age, AgeGroup.TOTAL}:
                cells[(sid, (victims, s, a, Dimension.TOTAL, TOTAL))] += n
    # A record with several forms counts once under each: count the few combinations.
    for row in records.values("submission_id", "forms_of_exploitation").annotate(n=Count("pk")):
        for form in split_codes(row["forms_of_exploitation"]):
            key = (victims, Sex.TOTAL, AgeGroup.TOTAL, Dimension.FORM_OF_EXPLOITATION, form)
            cells[(row["submission_id"], key)] += row["n"]
    citizenship = records.values("submission_id").annotate(
        nationals=Count("pk", filter=Q(citizenship_id=F("submission__country_of_detection_id"))),
        unknown=Count("pk", filter=Q(citizenship__isnull=True)),
        total=Count("pk"),
    )
    for row in citizenship:
        foreigners = row["total"] - row["nationals"] - row["unknown"]
        for category, n in (
            (NATIONALS, row["nationals"]),
            (FOREIGNERS, foreigners),
            (UNKNOWN, row["unknown"]),
        ):
            key = (victims, Sex.TOTAL, AgeGroup.TOTAL, Dimension.CITIZENSHIP, category)
            cells[(row["submission_id"], key)] += n
    conflict = (
        records.filter(
            Q(conflict_situation__isnull=False)
            | Q(armed_group_involved=True)
            | Q(terrorist_group_involved=True)
        )
        .values("submission_id")
        .annotate(n=Count("pk"))
    )
    for row in conflict:
        key = (victims, Sex.TOTAL, AgeGroup.TOTAL, Dimension.CONFLICT, CONFLICT_RELATED)
        cells[(row["submission_id"], key)] += row["n"]
    return cells


def _computed_tables(submission_ids: list[int]) -> dict[int, dict[Key, int]]:
    tables: dict[int, dict[Key, int]] = {sid: {} for sid in submission_ids}
    for (sid, key), n in _record_cells(submission_ids).items():
        tables[sid][key] = n
    covered = {(sid, key[0]) for sid, table in tables.items() for key in table}
    for cell in AggregateValue.objects.filter(
        submission_id__in=submission_ids, value_status=ValueStatus.REPORTED
    ):
        if (cell.submission_id, cell.indicator) in covered:
            continue
        key = (cell.indicator, cell.sex, cell.age, cell.dimension, cell.category)
        tables[cell.submission_id][key] = cell.value or 0
    return tables


FROZEN = ("submitted", "validated", "published")


def _raw_tables(submission_ids: list[int]) -> dict[int, dict[Key, int]]:
    """Tables as reported. A submitted submission cannot change until it is returned, so its
    table is computed once and kept on the row (`table_cache`); returning it clears that."""
    tables: dict[int, dict[Key, int]] = {}
    for sid, cached in Submission.objects.filter(
        pk__in=submission_ids, table_cache__isnull=False
    ).values_list("pk", "table_cache"):
        tables[sid] = {tuple(cell[:5]): cell[5] for cell in cached or []}  # type: ignore[misc]
    missing = [sid for sid in submission_ids if sid not in tables]
    for sid, table in _computed_tables(missing).items():
        tables[sid] = table
        Submission.objects.filter(pk=sid, status__in=FROZEN).update(
            table_cache=[[*key, n] for key, n in sorted(table.items())]
        )
    return tables


def submission_tables(
    submission_ids: list[int], deduplicate: bool = False
) -> dict[int, dict[Key, int]]:
    """Each submission's long-format table; record-derived indicators win over typed cells.

    With deduplicate=True, records confirmed as repeats of a person counted elsewhere are
    taken out: their own cells are computed and subtracted, so only the few repeats are read.
    """
    tables = collections.defaultdict(dict, _raw_tables(submission_ids))
    repeats = duplicate_record_ids(submission_ids) if deduplicate else set()
    if repeats:
        for (sid, key), n in _record_cells(submission_ids, only=repeats).items():
            remaining = tables[sid].get(key, 0) - n
            if remaining:
                tables[sid][key] = remaining
            else:
                tables[sid].pop(key, None)
    return tables


@dataclass
class RoundFigures:
    cells: dict[CellKey, int] = field(default_factory=dict)

    def value(
        self,
        country: str,
        indicator: str,
        sex: str = "_T",
        age: str = "_T",
        dimension: str = "Total",
        category: str = "Total",
    ) -> int:
        return self.cells.get((country, indicator, sex, age, dimension, category), 0)

    def countries(self) -> list[str]:
        return sorted({key[0] for key in self.cells})


def round_figures(submissions: Iterable[Submission], deduplicate: bool = False) -> RoundFigures:
    by_id = {s.pk: s.country_of_detection_id for s in submissions}
    figures = RoundFigures()
    for sid, table in submission_tables(list(by_id), deduplicate).items():
        for key, n in table.items():
            cell = (by_id[sid], *key)
            figures.cells[cell] = figures.cells.get(cell, 0) + n
    return figures


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    victims: int
    reported: int  # before de-duplication
    female: int
    male: int
    children: int
    foreigners: int
    nationals: int
    conflict_related: int
    prosecuted: int
    convicted: int

    @property
    def foreign_share(self) -> float | None:
        known = self.foreigners + self.nationals
        return round(100 * self.foreigners / known, 1) if known else None


def area_rows(figures: RoundFigures, level: str, raw: RoundFigures | None = None) -> list[AreaRow]:
    """Figures by country, sub-region or region (M49), sorted by detected victims.

    `raw` (the same figures before de-duplication) fills the `reported` column.
    """
    raw = raw or figures
    countries = {
        c.alpha3: c
        for c in Country.objects.select_related("region", "subregion").filter(
            alpha3__in=figures.countries()
        )
    }
    totals: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    v, p, c = (Indicator.DETECTED_VICTIMS, Indicator.PROSECUTED, Indicator.CONVICTED)
    for alpha3, country in countries.items():
        area = {
            "country": (alpha3, country.name),
            "subregion": (country.subregion_id or "", str(country.subregion or "")),
            "region": (country.region_id or "", str(country.region or "")),
        }[level]
        counter = totals[area]
        counter["victims"] += figures.value(alpha3, v)
        counter["reported"] += raw.value(alpha3, v)
        counter["female"] += figures.value(alpha3, v, sex="F")
        counter["male"] += figures.value(alpha3, v, sex="M")
        counter["children"] += figures.value(alpha3, v, age="Y0T17")
        counter["foreigners"] += figures.value(
            alpha3, v, dimension="Citizenship", category=FOREIGNERS
        )
        counter["nationals"] += figures.value(
            alpha3, v, dimension="Citizenship", category=NATIONALS
        )
        counter["conflict_related"] += figures.value(
            alpha3, v, dimension="Conflict", category=CONFLICT_RELATED
        )
        counter["prosecuted"] += figures.value(alpha3, p)
        counter["convicted"] += figures.value(alpha3, c)
    rows = [
        AreaRow(
            code,
            name,
            **{
                k: counter[k]
                for k in (
                    "victims",
                    "reported",
                    "female",
                    "male",
                    "children",
                    "foreigners",
                    "nationals",
                    "conflict_related",
                    "prosecuted",
                    "convicted",
                )
            },
        )
        for (code, name), counter in totals.items()
    ]
    return sorted(rows, key=lambda r: (-r.victims, r.name))


def form_rows(figures: RoundFigures) -> list[tuple[str, int]]:
    counter: collections.Counter[str] = collections.Counter()
    for key, n in figures.cells.items():
        if key[1] == Indicator.DETECTED_VICTIMS and key[4] == Dimension.FORM_OF_EXPLOITATION:
            counter[key[5]] += n
    return counter.most_common()


@dataclass(frozen=True)
class Flow:
    origin: str  # citizenship, ISO alpha-3
    destination: str  # country of detection
    victims: int
    kind: str  # codes.FlowKind

    @property
    def kind_label(self) -> str:
        return str(FlowKind(self.kind).label)


FLOW_MINIMUM = 5  # GLOTIP shows an origin → detection pair from 5 detected victims


def _origins(submissions: list[Submission]) -> dict[int, dict[str, int]]:
    """Victims by citizenship per submission, from the records. Like the tables, kept on the
    row of a submission that can no longer change (`origins_cache`)."""
    found = {s.pk: s.origins_cache for s in submissions if s.origins_cache is not None}
    missing = [s.pk for s in submissions if s.pk not in found]
    if missing:
        computed: dict[int, dict[str, int]] = {sid: {} for sid in missing}
        counts = (
            VictimRecord.objects.filter(submission_id__in=missing, citizenship__isnull=False)
            .values_list("submission_id", "citizenship_id")
            .annotate(n=Count("pk"))
        )
        for sid, origin, n in counts:
            computed[sid][origin] = n
        for sid, origins in computed.items():
            found[sid] = origins
            Submission.objects.filter(pk=sid, status__in=FROZEN).update(origins_cache=origins)
    return found


def flows(submissions: Iterable[Submission], minimum: int = FLOW_MINIMUM) -> list[Flow]:
    """Origin → country-of-detection pairs with at least `minimum` victims (de-duplicated):
    the kept counts per submission, less the few records confirmed as repeats."""
    submissions = list(submissions)
    pairs: dict[tuple[str, str], int] = collections.defaultdict(int)
    destination_of = {s.pk: s.country_of_detection_id for s in submissions}
    for sid, origins in _origins(submissions).items():
        for origin, n in origins.items():
            pairs[(origin, destination_of[sid])] += n
    repeats = duplicate_record_ids(list(destination_of))
    if repeats:
        for sid, origin, n in (
            VictimRecord.objects.filter(pk__in=repeats, citizenship__isnull=False)
            .values_list("submission_id", "citizenship_id")
            .annotate(n=Count("pk"))
        ):
            pairs[(origin, destination_of[sid])] -= n
    places = {c.alpha3: (c.subregion_id, c.region_id) for c in Country.objects.all()}
    found = []
    for (origin, destination), n in pairs.items():
        if n < minimum:
            continue
        (sub_o, reg_o), (sub_d, reg_d) = places[origin], places[destination]
        kind = (
            "domestic"
            if origin == destination
            else "sub-regional"
            if sub_o == sub_d
            else "regional"
            if reg_o == reg_d
            else "trans-regional"
        )
        found.append(Flow(origin, destination, n, kind))
    return sorted(found, key=lambda f: (-f.victims, f.origin, f.destination))


def conviction_counts(figures: RoundFigures) -> dict[str, int]:
    """Countries that reported convictions: how many reported none, and how many 10 or fewer."""
    reported = {
        key[0]: value
        for key, value in figures.cells.items()
        if key[1:] == (Indicator.CONVICTED, "_T", "_T", Dimension.TOTAL, TOTAL)
    }
    return {
        "countries": len(reported),
        "none": sum(1 for v in reported.values() if v == 0),
        "ten_or_fewer": sum(1 for v in reported.values() if v <= 10),
    }
