"""Disclosure control for every public table in CTIP: primary and secondary cell suppression.

Primary: every cell with 0 < value < k is hidden and may be published as “<k”. Secondary:
cells that add up to a published total form a group (the sexes under their total, the age
groups under theirs, nationals + foreigners + unknown under the total, the countries of a
sub-region under it, the sub-regions of a region, the regions of the world; in a one-way
table, its rows under their total). A group in which exactly one cell is hidden would give
it away by subtraction, so the smallest other non-zero cell of that group is hidden too,
and so on until no group has exactly one hidden cell. A cell hidden that way is not small,
so it is published only as confidential, with no number claim at all.

The statuses are those of SDMX's CL_CONF_STATUS: F free, A primary confidentiality due to
small counts, D secondary confidentiality set by the sender.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, TypeVar

from ctip.statistics.codes import FOREIGNERS, NATIONALS, Dimension, Indicator
from ctip.statistics.figures import UNKNOWN, CellKey

WORLD = "001"
SEX_PARTS = ("F", "M", "_U")
AGE_PARTS = ("Y0T17", "Y_GE18", "_U")
CITIZENSHIP_PARTS = (NATIONALS, FOREIGNERS, UNKNOWN)
CELL_KEY_FIELDS = ("area", "indicator", "sex", "age", "dimension", "category")
FREE, SMALL, SECONDARY = "F", "A", "D"
CONFIDENTIAL_MARK = "C"  # what a secondary cell shows instead of a number
# Differential privacy: above this, e^ε > 2.7 and the noise no longer hides a person.
MAX_EPSILON = 1.0
MIN_EPSILON = 0.01

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Suppression:
    small: frozenset  # primary: 0 < value < k
    secondary: frozenset  # hidden so that a small cell cannot be worked out

    def status(self, key: Hashable) -> str:
        return SMALL if key in self.small else SECONDARY if key in self.secondary else FREE

    @property
    def hidden(self) -> frozenset:
        return self.small | self.secondary


UNBOUNDED = 10**12


def suppress_groups(
    values: dict[K, int],
    groups: Iterable[Sequence[K]],
    k: int,
    also: AbstractSet[K] = frozenset(),
    settled: AbstractSet[K] = frozenset(),
) -> Suppression:
    """Hide small cells, then enough others that none can be narrowed down from the rest.

    Zeros are published: a true zero reveals no one. Each group is [total, part, …] with
    total = sum(parts). An outsider knows what is published and the rules: a hidden cell is
    at least 1, “<k” at most k-1, a confidential cell at least k. While some hidden cell can
    be pinned (by propagating those bounds through every group) to a range narrower than
    “<k” allows, the smallest published non-zero cell of a group it is in is hidden too.
    `also`: cells to hide from the start as confidential (see `changed_since`). `settled`:
    cells whose status an earlier run decided; only the others are hidden to protect one."""
    small = {key for key, value in values.items() if 0 < value < k}
    hidden = small | {key for key in also if values.get(key, 0) > 0}
    all_groups = [list(g) for g in groups if len(g) > 1]
    member_of: dict[K, list[list[K]]] = defaultdict(list)
    for group in all_groups:
        for key in group:
            member_of[key].append(group)
    while True:
        added: set[K] = set()
        for key, pinned_by in _exposed(values, all_groups, small, hidden, k).items():
            # hide a cell of the group that pins it; only if that has none, of another one
            for groups_tried in ([pinned_by], member_of[key]):
                candidates = sorted(
                    (values[other], str(other), other)
                    for group in groups_tried
                    for other in group
                    if other not in hidden and other not in settled and values[other] > 0
                )
                if candidates:
                    added.add(candidates[0][2])
                    break
        if not added:
            return Suppression(frozenset(small), frozenset(hidden - small))
        hidden |= added


def _claimed(value: int, key: Hashable, small: set, hidden: set, k: int) -> tuple[int, int]:
    if key not in hidden:
        return value, value
    return (1, k - 1) if key in small else (k, UNBOUNDED)


def narrowed_bounds(
    bounds: dict[K, tuple[int, int]], groups: list[list[K]]
) -> tuple[dict[K, tuple[int, int]], dict[K, list[K]]]:
    """What an outsider can work out: each cell's range (from what is published and the
    rules) propagated through every group (total = sum of the parts) until nothing narrows,
    and for each cell narrowed, the group that narrowed it last."""
    bounds = dict(bounds)
    pinned_by: dict[K, list[K]] = {}
    for _round in range(50):
        changed = False
        for group in groups:
            total, parts = group[0], group[1:]
            low = sum(bounds[p][0] for p in parts)
            high = sum(bounds[p][1] for p in parts)
            t_low, t_high = bounds[total]
            if low > t_high or high < t_low:
                continue  # a table that does not add up tells nothing by subtraction
            narrowed = {total: (max(t_low, low), min(t_high, high))}
            for p in parts:
                p_low, p_high = bounds[p]
                narrowed[p] = (
                    max(p_low, t_low - (high - p_high)),
                    min(p_high, t_high - (low - p_low)),
                )
            for key, pair in narrowed.items():
                if pair != bounds[key] and pair[0] <= pair[1]:
                    bounds[key], pinned_by[key] = pair, group
                    changed = True
        if not changed:
            break
    return bounds, pinned_by


def narrowest_width(k: int) -> int:
    """How narrow a small cell's range may become: a “<5” may be narrowed to 2-4, never to
    fewer values."""
    return min(k - 2, max(1, (k - 1) // 2))


def narrowed_small(
    values: dict[K, int],
    groups: list[list[K]],
    suppression: Suppression,
    k: int,
    unknown: AbstractSet[K],
) -> set[K]:
    """The small cells an outsider narrows further than “<k” allows, from what is published
    (a number; “<k” is 1 to k-1; a confidential cell at least k; a cell in `unknown`, which
    is not published or says nothing of itself, anything from 0)."""

    def claimed(key: K) -> tuple[int, int]:
        if key in unknown:
            return 0, UNBOUNDED
        if key not in suppression.hidden:
            return values[key], values[key]
        return (1, k - 1) if key in suppression.small else (k, UNBOUNDED)

    bounds, _pinned_by = narrowed_bounds({key: claimed(key) for key in values}, groups)
    width = narrowest_width(k)
    return {
        key
        for key, value in values.items()
        if 0 < value < k and bounds[key][1] - bounds[key][0] < width
    }


def _exposed(
    values: dict[K, int], groups: list[list[K]], small: set, hidden: set, k: int
) -> dict[K, list[K]]:
    """Hidden cells an outsider can narrow down below the width “<k” leaves open, each with
    the group that narrowed it last (one per group: hiding one more cell there opens it)."""
    bounds, pinned_by = narrowed_bounds(
        {key: _claimed(values[key], key, small, hidden, k) for key in values}, groups
    )
    found: dict[K, list[K]] = {}
    for group in groups:
        alone = [key for key in group if key in hidden]
        if len(alone) == 1:
            found.setdefault(alone[0], group)
    # the small cells are the ones protected; a confidential cell matters only through them
    for key in sorted(small, key=str):
        low, high = bounds[key]
        if high - low < narrowest_width(k) and key in pinned_by:
            found.setdefault(key, pinned_by[key])
    one_per_group: dict[int, K] = {}
    for key, group in found.items():
        one_per_group.setdefault(id(group), key)
    return {key: found[key] for key in one_per_group.values()}


@dataclass(frozen=True)
class Shown:
    """A published value: the number, or “<k” for a small cell, or only “confidential”."""

    value: int | None
    status: str
    threshold: int

    @property
    def suppressed(self) -> bool:
        return self.status != FREE

    @property
    def text(self) -> str:
        if self.status == FREE:
            return str(self.value)
        return f"<{self.threshold}" if self.status == SMALL else CONFIDENTIAL_MARK

    def at_most(self) -> int | None:
        """The largest value this publication allows, or None when it says nothing."""
        if self.status == FREE:
            return self.value
        return self.threshold - 1 if self.status == SMALL else None

    def __str__(self) -> str:
        return self.text


def decided_at_most(values: Iterable[Shown], limit: int) -> list[bool]:
    """For each published value that says whether it is at most `limit`, whether it is.

    A number decides; “<k” decides when k - 1 <= limit; a secondary cell never does."""
    found = []
    for value in values:
        bound = value.at_most()
        if value.status == FREE and bound is not None:
            found.append(bound <= limit)
        elif bound is not None and bound <= limit:
            found.append(True)
    return found


def published_value(shown: Shown | None) -> dict[str, Any] | None:
    """A published value for JSON: the number as a number (or null) and its status apart."""
    if shown is None:
        return None
    return {"value": shown.value, "status": shown.status, "text": shown.text}


def shown(value: int, key: Hashable, suppression: Suppression, k: int) -> Shown:
    status = suppression.status(key)
    return Shown(value if status == FREE else None, status, k)


def add_area_totals(cells: dict[CellKey, int], areas: dict[str, tuple[str, str]]) -> None:
    """Add sub-region, region and world cells (keyed by M49 code) summed from the countries.

    `areas` maps a country's alpha-3 to its (sub-region, region) M49 codes.
    """
    for key, value in list(cells.items()):
        country, rest = key[0], key[1:]
        subregion, region = areas.get(country, ("", ""))
        for area in (subregion, region, WORLD):
            if area:
                area_key = (area, *rest)
                cells[area_key] = cells.get(area_key, 0) + value


def groups(cells: Iterable[CellKey], areas: dict[str, tuple[str, str]]) -> list[list[CellKey]]:
    """Each group: [total, part, part, …] — the cells whose sum is the total."""
    present = set(cells)
    found: list[list[CellKey]] = []
    forms: dict[CellKey, list[CellKey]] = defaultdict(list)
    for key in present:
        if key[4] == Dimension.FORM_OF_EXPLOITATION:
            forms[(*key[:4], Dimension.TOTAL, "Total")].append(key)
    # A person may have several forms, so they add up to the total or more: kept as a group
    # all the same, so that one hidden form is never the total less the others.
    found += [[total, *sorted(parts)] for total, parts in forms.items() if total in present]
    for key in present:
        area, indicator, sex, age, dimension, category = key
        if dimension != Dimension.TOTAL:
            continue
        breakdowns = []
        if sex == "_T":
            breakdowns.append([(area, indicator, s, age, dimension, category) for s in SEX_PARTS])
        if age == "_T":
            breakdowns.append([(area, indicator, sex, a, dimension, category) for a in AGE_PARTS])
        if sex == "_T" and age == "_T":
            breakdowns.append(
                [(area, indicator, sex, age, Dimension.CITIZENSHIP, c) for c in CITIZENSHIP_PARTS]
            )
        for parts in breakdowns:
            if any(p in present for p in parts):
                found.append([key, *(p for p in parts if p in present)])
    region_of = {subregion: region for subregion, region in areas.values() if subregion}
    regions = set(region_of.values())

    def parent(area: str) -> str:
        if area in areas:
            return areas[area][0]
        if area in region_of:
            return region_of[area]
        return WORLD if area in regions else ""

    members: dict[CellKey, list[CellKey]] = defaultdict(list)
    for key in present:
        above = parent(key[0])
        if above:
            members[(above, *key[1:])].append(key)
    for total, parts in members.items():
        if total in present and parts:
            found.append([total, *sorted(set(parts))])
    return found


def suppress(
    cells: dict[CellKey, int],
    k: int,
    areas: dict[str, tuple[str, str]],
    also: AbstractSet[Hashable] = frozenset(),
    pairs: dict[tuple[str, str], int] | None = None,
) -> Suppression:
    """The release's suppression; with `pairs` (victims by citizenship and country of
    detection), the flows too (`flow_groups`)."""
    cell_groups = groups(cells, areas)
    cells_also: set[CellKey] = {key for key in cells if key in also}
    suppression = suppress_groups(cells, cell_groups, k, cells_also)
    if not pairs:
        return suppression
    # The flows, in a second run over the cells and the pairs together, in which the cells
    # are settled: only pairs are hidden to protect a cell or another pair, so that
    # publishing flows never hides a figure the release would otherwise publish. A hidden
    # pair is not listed at all (neither its origin nor its status): what the published
    # cells leave over at a country of detection is victims of origins not named.
    values: dict[Hashable, int] = dict(cells.items())
    flow_values, flow_found = flow_groups(cells, pairs)
    values.update(flow_values)
    found: list[list[Hashable]] = [list[Hashable](group) for group in cell_groups]
    found += flow_found
    return suppress_groups(values, found, k, suppression.hidden | also, settled=frozenset(cells))


def row_key(row: dict[str, Any]) -> CellKey:
    """The key of a stored release row."""
    area, indicator, sex, age, dimension, category = (row[f] for f in CELL_KEY_FIELDS)
    return area, indicator, sex, age, dimension, category


def changed_since(
    cells: dict[K, int],
    earlier: Iterable[list[dict[str, Any]]],
    k: int,
    key_of: Callable[[dict[str, Any]], K] = row_key,  # type: ignore[assignment]
) -> set[K]:
    """Cells whose number moved by less than k since an earlier version of the release
    published it: the difference would tell what the new data added, so they are hidden."""
    found = set()
    for rows in earlier:
        for row in rows:
            key = key_of(row)
            if row["status"] == FREE and key in cells and 0 < abs(cells[key] - row["value"]) < k:
                found.add(key)
    return found


@dataclass(frozen=True)
class Cell:
    """One cell of a table as it leaves CTIP."""

    area: str
    indicator: str
    sex: str
    age: str
    dimension: str
    category: str
    shown: Shown

    @property
    def value(self) -> int | None:
        return self.shown.value

    @property
    def suppressed(self) -> bool:
        return self.shown.suppressed

    @property
    def status(self) -> str:
        return self.shown.status


def publishable(cells: dict[CellKey, int], suppression: Suppression) -> list[dict[str, Any]]:
    """The release as stored: a hidden cell keeps its status and no number at all."""
    return [
        {
            **dict(zip(CELL_KEY_FIELDS, key, strict=True)),
            "value": None if key in suppression.hidden else cells[key],
            "status": suppression.status(key),
        }
        for key in sorted(cells)
    ]


def stored_cells(rows: list[dict[str, Any]], k: int) -> list[Cell]:
    return [Cell(*row_key(row), shown=Shown(row["value"], row["status"], k)) for row in rows]


def open_cells(cells: dict[CellKey, int]) -> list[Cell]:
    """Cells for analysts' eyes only, not disclosure-controlled."""
    return [Cell(*key, Shown(value, FREE, 0)) for key, value in sorted(cells.items())]


def laplace_counts(values: list[int], epsilon: float) -> list[int]:
    """Counts with discrete Laplace noise from OpenDP, for a table where each person is in one
    cell (L1 sensitivity 1): the release is epsilon-differentially private. Negative noisy
    counts are shown as 0 (post-processing keeps the guarantee)."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    measurement = space >> dp.m.then_laplace(scale=1.0 / epsilon)
    if measurement.map(1) > epsilon * (1 + 1e-9):
        raise ValueError("the noise does not give the promised epsilon")
    return [max(0, int(v)) for v in measurement(values)]


# --- origin → detection flows -----------------------------------------------------------

FlowKey = tuple[str, str, str]


def flow_key(origin: str, destination: str) -> FlowKey:
    return ("flow", origin, destination)


def flow_row_key(row: dict[str, Any]) -> FlowKey:
    return flow_key(row["origin"], row["destination"])


def flow_groups(
    cells: dict[CellKey, int], pairs: dict[tuple[str, str], int]
) -> tuple[dict[Hashable, int], list[list[Hashable]]]:
    """Victims by citizenship and country of detection as cells, with the groups they add up
    in, for one suppression run with the release's cells.

    At a country of detection the foreign origins add up to its Foreigners cell and the
    domestic pair is its Nationals cell when both come from the same records (a country
    that reported records): they are then suppressed together with those published cells,
    so that no hidden pair is a published cell less the others. When they do not add up to
    the cell (aggregates beside records), they form a group of their own under a total that
    is treated as known, which asks as much of the pairs."""
    values: dict[Hashable, int] = {}
    by_destination: dict[str, dict[str, int]] = defaultdict(dict)
    for (origin, destination), n in pairs.items():
        if n > 0:
            values[flow_key(origin, destination)] = n
            by_destination[destination][origin] = n
    found: list[list[Hashable]] = []
    for destination, origins in sorted(by_destination.items()):
        domestic = [o for o in origins if o == destination]
        foreign = sorted(o for o in origins if o != destination)
        for category, parts in ((NATIONALS, domestic), (FOREIGNERS, foreign)):
            if not parts:
                continue
            total = sum(origins[o] for o in parts)
            cell: Hashable = (
                destination,
                Indicator.DETECTED_VICTIMS.value,
                "_T",
                "_T",
                Dimension.CITIZENSHIP.value,
                category,
            )
            if cells.get(cell) != total:  # type: ignore[call-overload]
                cell = ("flow-total", destination, category)
                values[cell] = total
            found.append([cell, *(flow_key(o, destination) for o in parts)])
    return values, found
