"""Every published statement is true of the data behind it (issue 12).

For random tables that hypothesis draws, and for the demo's own releases: a number equals
the truth, “<k” stands for a count from 1 to k-1, a confidential cell claims nothing and
cannot be worked out by subtraction, and a count of countries counts only what the
publication decides. The same disclosure control serves the conduct page.
"""

from __future__ import annotations

import collections

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctip.conduct.figures import FINISHED, LATE, OPEN, TABLES, TOTAL, WITHIN, count_groups
from ctip.statistics import disclosure
from ctip.statistics.disclosure import FREE, SECONDARY, SMALL, Shown

AREAS = {
    "AAA": ("S1", "R1"),
    "BBB": ("S1", "R1"),
    "CCC": ("S2", "R1"),
    "DDD": ("S3", "R2"),
}
SEXES, AGES = ("F", "M", "_U"), ("Y0T17", "Y_GE18", "_U")
CONVICTED = "Persons convicted"
VICTIMS = "Detected trafficking victims"


def assert_true_of(cells: dict, published: list[disclosure.Cell], k: int) -> None:
    """Each published cell says only what is true of `cells`."""
    for cell in published:
        truth = cells[tuple(getattr(cell, f) for f in disclosure.CELL_KEY_FIELDS)]
        if cell.status == FREE:
            assert cell.value == truth
        elif cell.status == SMALL:
            assert cell.value is None and 0 < truth < k and cell.shown.text == f"<{k}"
        else:
            assert cell.status == SECONDARY and cell.value is None
            assert cell.shown.text == disclosure.CONFIDENTIAL_MARK


def assert_no_subtraction(values: dict, groups: list, hidden: frozenset, k: int = 5) -> None:
    """What an outsider derives from the published cells, each group's total = the sum of
    its parts, and the rules (a hidden cell is at least 1; “<k” at most k-1; a confidential
    cell at least k) leaves every hidden cell as open as “<k” does, and never excludes the
    truth. Written apart from the code it checks (a slower, plainer propagation)."""
    big = 10**12
    small = {key for key in hidden if 0 < values[key] < k}
    bounds = {
        key: (1, k - 1) if key in small else (k, big) if key in hidden else (n, n)
        for key, n in values.items()
    }
    consistent = [g for g in groups if values[g[0]] == sum(values[p] for p in g[1:])]
    for group in groups:
        assert sum(1 for key in group if key in hidden) != 1, group
    for _round in range(100):
        changed = False
        for total, *parts in consistent:
            for cell in [total, *parts]:
                if cell == total:
                    low = sum(bounds[p][0] for p in parts)
                    high = sum(bounds[p][1] for p in parts)
                else:
                    others = [p for p in parts if p != cell]
                    low = bounds[total][0] - sum(bounds[p][1] for p in others)
                    high = bounds[total][1] - sum(bounds[p][0] for p in others)
                new = (max(bounds[cell][0], low), min(bounds[cell][1], high))
                if new != bounds[cell]:
                    bounds[cell], changed = new, True
        if not changed:
            break
    for key in hidden:
        low, high = bounds[key]
        assert low <= values[key] <= high, (key, bounds[key], values[key])
        claimed = k - 2 if key in small else big
        if key not in small:
            continue  # a confidential cell is at least k: it matters through the small ones
        # the known limit (ADR 0006): when every cell around it is already hidden or zero,
        # nothing is left to hide
        nothing_left = all(
            other in hidden or values[other] == 0
            for group in groups
            if key in group
            for other in group
        )
        if not nothing_left:
            wanted = min(claimed, max(1, (k - 1) // 2))
            assert high - low >= wanted, (key, bounds[key], values[key], k)


country_tables = st.dictionaries(
    st.tuples(st.sampled_from(sorted(AREAS)), st.sampled_from(SEXES), st.sampled_from(AGES)),
    st.integers(min_value=0, max_value=40),
    min_size=1,
)
convictions = st.dictionaries(
    st.sampled_from(sorted(AREAS)), st.integers(min_value=0, max_value=30), min_size=1
)


@settings(max_examples=300, deadline=None)
@given(country_tables, convictions, st.integers(min_value=2, max_value=15))
def test_a_random_release_makes_no_false_statement(victims, convicted, k):
    # given tables by sex × age with every margin, convictions, and the area totals
    cells: dict = {}
    for (country, sex, age), n in victims.items():
        for s in {sex, "_T"}:
            for a in {age, "_T"}:
                key = (country, VICTIMS, s, a, "Total", "Total")
                cells[key] = cells.get(key, 0) + n
    for country, n in convicted.items():
        cells[(country, CONVICTED, "_T", "_T", "Total", "Total")] = n
    disclosure.add_area_totals(cells, AREAS)
    # when the release is made and read back as it is stored
    suppression = disclosure.suppress(cells, k, AREAS)
    published = disclosure.stored_cells(disclosure.publishable(cells, suppression), k)
    # then every cell, and no group, says more than the truth
    assert_true_of(cells, published, k)
    assert_no_subtraction(cells, disclosure.groups(cells, AREAS), suppression.hidden, k)
    # and "countries that convicted 10 or fewer" counts only countries that did
    by_country = [c for c in published if c.indicator == CONVICTED and c.area in AREAS]
    decided = disclosure.decided_at_most([c.shown for c in by_country], 10)
    truly_few = sum(1 for n in convicted.values() if n <= 10)
    assert sum(decided) <= truly_few <= sum(decided) + len(by_country) - len(decided)
    for cell in by_country:
        bound = cell.shown.at_most()
        if bound is not None and cell.status == SMALL:
            assert convicted[cell.area] <= bound


allegations = st.lists(
    st.tuples(
        st.sampled_from(["MINUSCA", "MONUSCO", "UNMISS"]),
        st.sampled_from(["2024", "2025", "2026"]),
        st.sampled_from(["sexual_abuse", "rape", "transactional_sex"]),
        st.sampled_from(["civilian", "military"]),
        st.sampled_from(["received", "under_investigation", "closed"]),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(allegations, st.integers(min_value=0, max_value=20), st.integers(2, 6), st.data())
def test_the_conduct_page_cannot_be_solved_by_subtraction(rows, finished, k, data):
    # given the counts the public conduct page shows
    values: dict = {TOTAL: len(rows)}
    for position, (name, _field) in enumerate(TABLES):
        for label, n in collections.Counter(row[position] for row in rows).items():
            values[(name, label)] = n
    values[OPEN] = sum(1 for row in rows if row[4] != "closed")
    within = data.draw(st.integers(min_value=0, max_value=finished))
    values[FINISHED], values[WITHIN], values[LATE] = finished, within, finished - within
    # when
    groups = count_groups(values)
    suppression = disclosure.suppress_groups(values, groups, k)
    # then what is shown is true, and no hidden count is the difference of shown ones
    for key, n in values.items():
        shown = disclosure.shown(n, key, suppression, k)
        assert shown.value in (n, None)
        if shown.status == SMALL:
            assert 0 < n < k
    assert_no_subtraction(values, groups, suppression.hidden, k)


@pytest.mark.django_db
def test_the_demo_releases_make_no_false_statement():
    from ctip.core.demo import load_demo_data as core_demo
    from ctip.core.reference import load_reference_data
    from ctip.statistics.demo import load_demo_data
    from ctip.statistics.figures import round_figures
    from ctip.statistics.models import PublishedRelease, Submission
    from ctip.statistics.selectors import release_cells
    from ctip.statistics.services import country_areas

    load_reference_data()
    core_demo()
    load_demo_data()
    releases = list(PublishedRelease.objects.select_related("round"))
    assert len(releases) >= 2  # 2023 and 2024 are published; 2025 is still open
    secondary = 0
    for release in releases:
        truth = dict(
            round_figures(
                Submission.objects.filter(pk__in=release.submission_ids), deduplicate=True
            ).cells
        )
        disclosure.add_area_totals(truth, country_areas())
        cells = release_cells(release)
        assert_true_of(truth, cells, release.threshold)
        secondary += sum(1 for c in cells if c.status == SECONDARY)
    assert secondary, "the demo shows a confidential cell, so the page shows what one looks like"


def test_a_shown_value_claims_only_its_status():
    assert Shown(21, FREE, 5).at_most() == 21
    assert Shown(None, SMALL, 5).at_most() == 4
    assert Shown(None, SECONDARY, 5).at_most() is None
    assert disclosure.decided_at_most(
        [Shown(10, FREE, 5), Shown(51, FREE, 5), Shown(None, SMALL, 12), Shown(None, SMALL, 5)],
        10,
    ) == [True, False, True]


def test_a_new_version_does_not_give_away_what_it_added():
    # given version 1 of a round: 20 men detected in Iraq
    areas = {"IRQ": ("145", "142"), "SYR": ("145", "142")}

    def table(rows):
        cells: dict = {}
        for country, sex, n in rows:
            for s in {sex, "_T"}:
                cells[(country, VICTIMS, s, "_T", "Total", "Total")] = n
        disclosure.add_area_totals(cells, areas)
        return cells

    first = table([("IRQ", "M", 20)])
    v1 = disclosure.publishable(first, disclosure.suppress(first, 5, areas))
    # when a late submission adds 3 women in Syria and version 2 is published
    second = table([("IRQ", "M", 20), ("SYR", "F", 3)])
    changed = disclosure.changed_since(second, [v1], 5)
    v2 = disclosure.publishable(second, disclosure.suppress(second, 5, areas, also=changed))
    # then no number published in both versions moved by less than 5 (145 and the world
    # went from 20 to 23: 23 - 20 would be Syria's 3)
    before = {disclosure.row_key(r): r for r in v1}
    for row in v2:
        old = before.get(disclosure.row_key(row))
        if old and old["status"] == FREE and row["status"] == FREE:
            assert row["value"] == old["value"] or abs(row["value"] - old["value"]) >= 5, row
    assert any(r["area"] == "145" and r["status"] == SECONDARY for r in v2)
