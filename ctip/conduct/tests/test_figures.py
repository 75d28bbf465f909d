"""The public statistics by year, suppressed together with the all-years tables: nothing a
year's table shows can be worked out from the all-years tables and the other years."""

from __future__ import annotations

import collections
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ctip.conduct import figures, services
from ctip.conduct.codes import Category, PersonnelCategory
from ctip.conduct.models import Allegation
from ctip.conduct.tests.builders import record
from ctip.core.codes import Role
from ctip.core.models import User
from ctip.core.testing import signed_in_client
from ctip.statistics.disclosure import FREE, SMALL, Shown, shown, suppress_groups

pytestmark = pytest.mark.django_db
BIG = 10**12
CODE_OF = {
    **{str(label): code for code, label in Category.choices},
    **{str(label): code for code, label in PersonnelCategory.choices},
}


@pytest.fixture(autouse=True)
def english():
    """Labels in English whatever an earlier test left active."""
    with translation.override("en"):
        yield


# --- what an outsider can work out -------------------------------------------------------


def worked_out(
    published: Mapping[Any, Shown], groups: Iterable[Sequence[Any]], k: int
) -> dict[Any, tuple[int, int]]:
    """The range each cell is left in by what is published and every subtraction over the
    groups (total = sum of the parts), repeated until nothing narrows: a number is itself,
    “<k” is 1 to k-1, “C” anything (a withheld year's cell may be small), a cell not
    published at all at least 0."""
    groups = [list(group) for group in groups]
    bounds: dict[Any, tuple[int, int]] = {}
    for group in groups:
        for key in group:
            value = published.get(key)
            if value is None:
                bounds[key] = (0, BIG)
            elif value.status == FREE:
                bounds[key] = (value.value or 0, value.value or 0)
            else:
                bounds[key] = (1, k - 1) if value.status == SMALL else (0, BIG)
    for _round in range(100):
        changed = False
        for total, *parts in groups:
            for cell in [total, *parts]:
                others = [p for p in parts if p != cell]
                if cell == total:
                    low = sum(bounds[p][0] for p in parts)
                    high = sum(bounds[p][1] for p in parts)
                else:
                    low = bounds[total][0] - sum(bounds[p][1] for p in others)
                    high = bounds[total][1] - sum(bounds[p][0] for p in others)
                narrowed = (max(bounds[cell][0], low), min(bounds[cell][1], high))
                if narrowed != bounds[cell]:
                    bounds[cell], changed = narrowed, True
        if not changed:
            break
    return bounds


def recovered(published: Mapping[Any, Shown], groups: Sequence[Sequence[Any]], k: int) -> dict:
    """Hidden cells whose exact number can be worked out (a “<2” says it is 1 by itself)."""
    bounds = worked_out(published, groups, k)
    return {
        key: low
        for key, (low, high) in bounds.items()
        if key in published
        and published[key].status != FREE
        and low == high
        and not (published[key].status == SMALL and k == 2)
    }


def outsider_view(stats: dict) -> tuple[dict[Hashable, Shown], list[list[Hashable]]]:
    """The cells the public page and API show, keyed by the outsider's own names, and the
    sums anyone can see the tables obey (written here, apart from `count_groups`)."""
    published: dict[Hashable, Shown] = {"total": stats["total"]}
    published["finished"], published["within"] = stats["finished"], stats["within_six_months"]
    tables = {"year": stats["tables"]["year"].rows}
    for name in ("category", "personnel_category"):
        tables[name] = [(CODE_OF[label], value) for label, value in stats["tables"][name].rows]
    years = [str(year) for year in stats["years"]]
    columns: dict[str, list[str]] = {}
    for name in ("year", "category", "personnel_category"):
        columns[name] = [code for code, _value in tables[name]]
        published.update({(name, code): value for code, value in tables[name]})
    groups: list[list[Hashable]] = [
        ["total", *((name, code) for code in columns[name])]
        for name in ("year", "category", "personnel_category")
    ]
    groups.append(["finished", "within", "later"])
    for year in years:
        figures_of = figures.public_year(int(year), stats)
        published[("year", year)] = figures_of.allegations
        for name, rows in (
            ("category", figures_of.by_category),
            ("personnel_category", figures_of.by_personnel_category),
        ):
            published.update({(name, year, CODE_OF[label]): value for label, value in rows})
            groups.append([("year", year), *((name, year, c) for c in columns[name])])
        published[("finished", year)] = figures_of.finished
        published[("within", year)] = figures_of.within_six_months
        groups.append([("finished", year), ("within", year), ("later", year)])
    for name in ("category", "personnel_category"):
        for code in columns[name]:
            groups.append([(name, code), *((name, year, code) for year in years)])
    for name in ("finished", "within", "later"):
        groups.append([name, *((name, year) for year in years)])
    return published, groups


# --- data ---------------------------------------------------------------------------------


def allegations(officer: User, n: int, *, reported_on: str, category: str) -> list[Allegation]:
    return [
        record(
            officer,
            reported_on=reported_on,
            incident_date=reported_on[:5] + "01-01",
            category=category,
        )
        for _ in range(n)
    ]


def finish(officer: User, allegation: Allegation, referred_on: str, finished_on: str) -> None:
    services.investigation_save(
        actor=officer,
        allegation=allegation,
        raw={
            "body": "oversight",
            "referred_on": referred_on,
            "outcome": "not_substantiated",
            "finished_on": finished_on,
        },
    )


@pytest.fixture
def small_in_one_year(officer, settings):
    """2 allegations of sexual abuse in 2025 and 10 in 2026 (published alone, 12 would give
    2025's 2 away as 12 - 10), 7 of rape in 2025; of the investigations finished in 2026,
    1 within six months (and 4 in 2025, all within: 5 - 4 would give it away)."""
    settings.CTIP_CONDUCT_PUBLIC_THRESHOLD = 3
    abuse_2025 = allegations(officer, 2, reported_on="2025-03-04", category="sexual_abuse")
    abuse_2026 = allegations(officer, 10, reported_on="2026-03-04", category="sexual_abuse")
    rape_2025 = allegations(officer, 7, reported_on="2025-03-04", category="rape")
    for allegation in rape_2025[:4]:
        finish(officer, allegation, "2025-03-10", "2025-06-01")
    finish(officer, abuse_2026[0], "2026-03-10", "2026-05-01")
    for allegation in [*rape_2025[4:], abuse_2025[0]]:
        finish(officer, allegation, "2025-03-10", "2026-02-01")  # after six months


@pytest.fixture
def nothing_small(officer, settings):
    """Every cell 0 or at least 3: nothing to hide."""
    settings.CTIP_CONDUCT_PUBLIC_THRESHOLD = 3
    rape_2025 = allegations(officer, 3, reported_on="2025-03-04", category="rape")
    abuse_2025 = allegations(officer, 4, reported_on="2025-03-04", category="sexual_abuse")
    abuse_2026 = allegations(officer, 5, reported_on="2026-03-04", category="sexual_abuse")
    for allegation in rape_2025:
        finish(officer, allegation, "2025-03-10", "2025-06-01")
    for allegation in abuse_2025[:3]:
        finish(officer, allegation, "2025-03-10", "2026-02-01")
    for allegation in abuse_2026[:3]:
        finish(officer, allegation, "2026-03-10", "2026-05-01")


# --- the joint suppression -----------------------------------------------------------------


def test_a_small_cell_of_one_year_is_hidden_and_cannot_be_worked_out(small_in_one_year):
    # when
    stats = figures.public_statistics()
    in_2025, in_2026 = figures.public_year(2025, stats), figures.public_year(2026, stats)
    # then (a) the year's small cells are hidden: 2025's categories withheld whole (with
    # rape 2025 = all rape, “<3” would pin sexual abuse to 2), 2026's one small count “<3”
    assert dict(in_2025.by_category)["Sexual abuse"].text == "C"
    assert in_2026.within_six_months.text == "<3" and in_2026.share_within_six_months is None
    # and (b) no published cell, all years or one year, gives a hidden one away
    published, groups = outsider_view(stats)
    assert recovered(published, groups, 3) == {}
    for group in groups:  # a cell alone not shown in its group is worked out: never small
        alone = [k for k in group if k not in published or published[k].status != FREE]
        if len(alone) == 1:
            rest = sum(published[k].value or 0 for k in group[1:] if k not in alone)
            total = published[group[0]].value or 0
            derived = rest if alone[0] == group[0] else total - rest
            assert derived == 0 or derived >= 3, group
    # and no count from 1 to 2 is ever published as a number
    assert all(v.status != FREE or (v.value or 0) not in (1, 2) for v in published.values())


def test_tables_suppressed_apart_would_give_the_cell_away(small_in_one_year):
    """The check above can fail: with the all-years and the by-year tables suppressed
    apart, 12 (all years) less 10 (2026) is 2025's 2."""
    # given the all-years tables suppressed as before, and each year's rows on their own
    values, k = figures._counts(), 3
    all_years = {key: n for key, n in values.items() if key[0] not in figures.BY_YEAR}
    groups = figures.count_groups(values)
    rows_of_years = [g for g in groups if g[0][0] in ("year", figures.FINISHED_YEAR)]
    first = suppress_groups(all_years, figures.count_groups(all_years), k)
    second = suppress_groups(values, rows_of_years, k)
    # when an outsider reads both (the later counts are not published)
    published = {
        key: shown(n, key, first if key in all_years else second, k)
        for key, n in values.items()
        if key[0] != figures.LATER_YEAR and key != figures.LATE
    }
    # then the small cell is hidden in its year, and worked out all the same
    cell = (figures.YEAR_CATEGORY, "2025", "sexual_abuse")
    assert published[cell].text == "<3"
    assert recovered(published, groups, k)[cell] == 2


def test_each_year_adds_up_to_the_year_table_and_the_all_years_cells(
    nothing_small, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):  # one grouped query a table, however many rows
        stats = figures.public_statistics()
    assert stats["years"] == [2025, 2026]
    by_year = dict(stats["tables"]["year"].rows)
    categories = {label: v.value for label, v in stats["tables"]["category"].rows}
    summed: collections.Counter[str] = collections.Counter()
    finished = within = 0
    for year in stats["years"]:
        found = figures.public_year(year, stats)
        assert not any(v.suppressed for _label, v in found.by_category)
        assert sum(v.value or 0 for _l, v in found.by_category) == found.allegations.value
        assert sum(v.value or 0 for _l, v in found.by_personnel_category) == (
            found.allegations.value
        )
        assert found.allegations == by_year[str(year)]
        summed.update({label: v.value or 0 for label, v in found.by_category})
        finished += found.finished.value or 0
        within += found.within_six_months.value or 0
    assert dict(summed) == categories == {"Sexual abuse": 9, "Rape": 3}
    assert (finished, within) == (stats["finished"].value, stats["within_six_months"].value)
    in_2026 = figures.public_year(2026, stats)
    assert (in_2026.finished.value, in_2026.within_six_months.value) == (6, 3)
    assert in_2026.share_within_six_months == 50
    assert figures.public_year(2025).by_category == [
        ("Sexual abuse", Shown(4, FREE, 3)),
        ("Rape", Shown(3, FREE, 3)),
    ]
    # a year without anything: zeros, which are published
    empty = figures.public_year(2019, stats)
    assert empty.allegations == Shown(0, FREE, 3) and empty.share_within_six_months is None
    assert [label for label, _v in empty.by_category] == ["Sexual abuse", "Rape"]


def test_the_all_years_figures_are_as_before_when_nothing_is_hidden_to_protect(nothing_small):
    # given the all-years tables suppressed alone, as before there were years
    values, k = figures._counts(), 3
    all_years = {key: n for key, n in values.items() if key[0] not in figures.BY_YEAR}
    before = suppress_groups(all_years, figures.count_groups(all_years), k)
    assert not before.secondary
    # when suppressed with the years
    joint = figures.joint_suppression(values, k)
    # then every all-years cell is published as it was
    assert all(joint.status(key) == before.status(key) for key in all_years)
    stats = figures.public_statistics()
    assert stats["total"] == Shown(12, FREE, 3) and stats["finished"] == Shown(9, FREE, 3)


def test_the_all_years_cells_hidden_before_stay_so_and_the_total_stays_published(officer, settings):
    # given the data of the first public-statistics test: 2 of 2025 protected by hiding 2026
    settings.CTIP_CONDUCT_PUBLIC_THRESHOLD = 3
    allegations(officer, 14, reported_on="2026-02-01", category="sexual_abuse")
    allegations(officer, 2, reported_on="2025-03-01", category="rape")
    # when
    stats = figures.public_statistics()
    # then the years do not cost the total, and 2026's one category is hidden with its year
    assert stats["total"].value == 16
    assert dict(stats["tables"]["year"].rows)["2026"].text == "C"
    assert dict(figures.public_year(2026, stats).by_category)["Sexual abuse"].value is None
    published, groups = outsider_view(stats)
    assert recovered(published, groups, 3) == {}


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["2024", "2025", "2026"]),
        st.sampled_from(["sexual_abuse", "rape", "transactional_sex"]),
        st.sampled_from(["civilian", "military"]),
        st.sampled_from(["2024", "2025", "2026", ""]),  # the year it finished, if it did
        st.booleans(),  # within six months
    ),
    max_size=50,
)


CHAINED = [  # a small cell pinned through a chain: civilians 2025 = all civilians - 2024's
    *[("2024", "sexual_abuse", "civilian", "2024", False)] * 3,
    *[("2024", "sexual_abuse", "military", "2024", False)] * 2,
    ("2025", "sexual_abuse", "civilian", "2024", False),
    ("2025", "sexual_abuse", "military", "2024", False),
]


@hypothesis_settings(max_examples=120, deadline=None)
@given(rows_strategy, st.integers(2, 6))
@example(CHAINED, 3)
def test_no_random_table_can_be_solved_by_subtraction(rows, k):
    # given the counts `_counts` makes, by year too
    values: dict = {figures.TOTAL: len(rows), figures.OPEN: len(rows)}
    values.update(collections.Counter(("mission", "MINUSCA") for _row in rows))
    for table, position in (("year", 0), ("category", 1), ("personnel_category", 2)):
        values.update(collections.Counter((table, row[position]) for row in rows))
    values.update(collections.Counter(("status", "received") for _row in rows))
    for name, position in ((figures.YEAR_CATEGORY, 1), (figures.YEAR_PERSONNEL, 2)):
        values.update(collections.Counter((name, row[0], row[position]) for row in rows))
    done = [row for row in rows if row[3]]
    values[figures.FINISHED] = len(done)
    values[figures.WITHIN] = sum(1 for row in done if row[4])
    values[figures.LATE] = values[figures.FINISHED] - values[figures.WITHIN]
    values.update(collections.Counter((figures.FINISHED_YEAR, row[3]) for row in done))
    values.update(collections.Counter((figures.WITHIN_YEAR, row[3]) for row in done if row[4]))
    values.update(collections.Counter((figures.LATER_YEAR, row[3]) for row in done if not row[4]))
    # when
    suppression = figures.joint_suppression(values, k)
    groups = figures.count_groups(values)
    published = {key: shown(n, key, suppression, k) for key, n in values.items()}
    # then no group has one hidden cell, and no small cell is worked out exactly, but by a
    # group that is all hidden or zero (“<k” + “<k” = “<k”: ADR 0006's limit, that no more
    # hiding can help)
    for group in groups:  # a cell alone hidden in its group is known: never a small one
        alone = [key for key in group if published[key].status != FREE]
        assert len(alone) != 1 or not 0 < values[alone[0]] < k, group
    for key, value in recovered(published, groups, k).items():
        assert value == values[key]
    shut = [g for g in groups if all(published[o].status != FREE or values[o] == 0 for o in g)]
    open_groups = [g for g in groups if g not in shut]
    for key in recovered(published, open_groups, k):
        assert published[key].status != SMALL, key


# --- the page and the API ------------------------------------------------------------------


def year_table(text: str) -> str:
    return text.split('data-table="year-category"')[1].split("</table>")[0]


def test_the_public_page_shows_a_year_and_refuses_a_bad_one(small_in_one_year):
    client = Client()
    # the latest year by default
    page = client.get(reverse("conduct:public"))
    assert page.status_code == 200 and page.context["year"].year == 2026
    # a year asked for
    page = client.get(reverse("conduct:public"), {"year": "2025"})
    text = page.content.decode()
    assert page.status_code == 200 and "Allegations reported in 2025:" in text
    assert 'Sexual abuse</th><td><abbr data-status="D"' in year_table(text)
    assert '<option value="2025" selected>' in text
    numbers = [int(n) for n in re.findall(r"<td>(\d+)</td>", text)]
    assert numbers and all(n == 0 or n >= 3 for n in numbers)
    # not a number, and a year without figures: a message, and no year
    for asked, status, message in (
        ("abc", 400, "Give the year as a number, such as 2025."),
        ("1999", 404, "There are no figures for 1999."),
        ("", 400, "This field is required."),
    ):
        answer = client.get(reverse("conduct:public"), {"year": asked})
        text = answer.content.decode()
        assert answer.status_code == status and message in text, asked
        assert answer.context["year"] is None and 'data-table="year-category"' not in text
        assert 'data-table="category"' in text  # the all-years tables are still there


def test_the_year_is_the_same_for_everyone_and_the_register_stays_closed(small_in_one_year, actors):
    url = reverse("conduct:public")
    anonymous = Client().get(url, {"year": "2025"}).content.decode()
    officer_elsewhere = signed_in_client(actors.other_by_role[Role.CONDUCT_OFFICER])
    theirs = officer_elsewhere.get(url, {"year": "2025"}).content.decode()
    assert year_table(anonymous) == year_table(theirs)
    # the allegations behind the figures stay with the entity's conduct officers
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    assert focal.get(reverse("conduct:register")).status_code in (403, 404)
    assert Client().get(reverse("conduct:register")).status_code == 302


def test_the_public_api_gives_each_year(small_in_one_year):
    stats = Client().get("/api/v1/public/conduct/statistics").json()
    assert stats["years"] == [2025, 2026]
    in_2025 = stats["by_year"]["2025"]
    assert in_2025["by_category"]["Sexual abuse"] == {"value": None, "status": "D", "text": "C"}
    in_2026 = stats["by_year"]["2026"]
    assert in_2026["finished_within_six_months"] == {"value": None, "status": "A", "text": "<3"}
    assert in_2026["share_within_six_months"] is None
    assert stats["total"] == {"value": 19, "status": "F", "text": "19"}


def test_two_small_years_under_a_small_total_are_withheld_not_shown_small(officer, settings):
    # given 48 allegations of sexual exploitation over three years, and 2 of rape: one in
    # 2024 and one in 2025 (“<3” + “<3” under a “<3” would give each year exactly 1)
    settings.CTIP_CONDUCT_PUBLIC_THRESHOLD = 3
    for day in ("2024-03-04", "2025-03-04", "2026-03-04"):
        allegations(officer, 16, reported_on=day, category="sexual_exploitation")
    for day in ("2024-03-04", "2025-03-04"):
        allegations(officer, 1, reported_on=day, category="rape")
    # when
    statistics = figures.public_statistics()
    # then the all-years figures stand, and rape in each year is withheld as confidential
    assert statistics["total"].text == "50"
    assert dict(statistics["tables"]["category"].rows)["Rape"].text == "<3"
    for year in (2024, 2025, 2026):  # 2026's zero too, or 2024 + 2025 = “<3” would tell
        rape = dict(statistics["by_year"][year].by_category)["Rape"]
        assert rape.text == "C", year
