"""Disclosure control for published tables: primary and secondary cell suppression.

Primary: every cell with 0 < value < k is suppressed. Secondary: cells that add up to a
published total form a group (the sexes under their total, the age groups under theirs,
nationals + foreigners + unknown under the total, the countries of a sub-region under it,
the sub-regions of a region, the regions of the world). A group in which exactly one cell is
suppressed would give it away by subtraction, so the smallest other non-zero cell of that
group is suppressed too, and so on until no group has exactly one suppressed cell.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ctip.statistics.codes import FOREIGNERS, NATIONALS, Dimension
from ctip.statistics.figures import UNKNOWN, CellKey

WORLD = "001"
SEX_PARTS = ("F", "M", "_U")
AGE_PARTS = ("Y0T17", "Y_GE18", "_U")
CITIZENSHIP_PARTS = (NATIONALS, FOREIGNERS, UNKNOWN)


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
    for key in present:
        area, indicator, sex, age, dimension, category = key
        if dimension == Dimension.TOTAL and sex == "_T":
            parts = [(area, indicator, s, age, dimension, category) for s in SEX_PARTS]
            found.append([key, *(p for p in parts if p in present)])
        if dimension == Dimension.TOTAL and age == "_T":
            parts = [(area, indicator, sex, a, dimension, category) for a in AGE_PARTS]
            found.append([key, *(p for p in parts if p in present)])
        if dimension == Dimension.TOTAL and sex == "_T" and age == "_T":
            parts = [
                (area, indicator, sex, age, Dimension.CITIZENSHIP, c) for c in CITIZENSHIP_PARTS
            ]
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


def suppress(cells: dict[CellKey, int], k: int, areas: dict[str, tuple[str, str]]) -> set[CellKey]:
    """Return the cells to hide. Zeros are published: a true zero reveals no one."""
    hidden = {key for key, value in cells.items() if 0 < value < k}
    all_groups = groups(cells, areas)
    changed = True
    while changed:
        changed = False
        for group in all_groups:
            exposed = [key for key in group if key in hidden]
            if len(exposed) != 1:
                continue
            candidates = sorted(
                (cells[key], key) for key in group if key not in hidden and cells[key] > 0
            )
            if not candidates:
                continue
            hidden.add(candidates[0][1])
            changed = True
    return hidden


def publishable(cells: dict[CellKey, int], hidden: set[CellKey], k: int) -> list[dict]:
    """The release as rows; a hidden cell shows `<k` and no number at all."""
    rows = []
    for key in sorted(cells):
        area, indicator, sex, age, dimension, category = key
        shown = f"<{k}" if key in hidden else str(cells[key])
        rows.append(
            {
                "area": area,
                "indicator": indicator,
                "sex": sex,
                "age": age,
                "dimension": dimension,
                "category": category,
                "value": shown,
                "suppressed": key in hidden,
            }
        )
    return rows


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
