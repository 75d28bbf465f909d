"""Flows from citizenship to country of detection, as a release publishes them: suppressed
in one run with the cells, so that no hidden pair is a published cell less the others."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ctip.statistics import disclosure, services
from ctip.statistics.tests.test_workflow import load, people

pytestmark = pytest.mark.django_db


def publish(mission, round_, analyst, rows):
    submission = load(mission, round_, rows)
    services.submission_submit(actor=mission["focal_point"], submission=submission)
    services.submission_validate(actor=analyst, submission=submission)
    return services.round_publish(actor=analyst, round_=round_, threshold=5)


def test_a_release_publishes_the_flows_its_cells_cannot_give_away(mission, round_2025, analyst):
    # given 17 foreigners detected in Iraq: 6 Syrians, 4 Nigerians (fewer than k) and 7
    # Ukrainians, and 5 Iraqis
    rows = (
        people(6, citizenship="SYR")
        + people(4, citizenship="NGA")
        + people(7, citizenship="UKR")
        + people(5, citizenship="IRQ")
    )
    # when the round is published with k = 5
    release = publish(mission, round_2025, analyst, rows)
    # then the Nigerian pair is hidden, and so is the Syrian one: with the Foreigners cell
    # (17, published) and the Ukrainians (7), the Nigerians would be 17 - 7 - 6 = 4
    foreigners = next(
        c
        for c in release.cells
        if c["area"] == "IRQ" and c["dimension"] == "Citizenship" and c["category"] == "Foreigners"
    )
    assert (foreigners["value"], foreigners["status"]) == (17, "F")
    listed = {(f["origin"], f["destination"]): (f["value"], f["kind"]) for f in release.flows}
    assert listed == {("UKR", "IRQ"): (7, "trans-regional"), ("IRQ", "IRQ"): (5, "domestic")}
    # and the public page and API say exactly that, and never name the hidden pairs' sizes
    page = Client().get("/public/statistics/2025/").content.decode()
    assert "Between regions" in page and "Domestic" in page
    assert "Nigeria" not in page
    api = Client().get("/api/v1/public/statistics/2025").json()
    assert {(f["origin"], f["victims"], f["kind"]) for f in api["flows"]} == {
        ("UKR", 7, "trans-regional"),
        ("IRQ", 5, "domestic"),
    }


def test_a_flow_that_moved_by_fewer_than_k_since_an_earlier_version_is_hidden():
    pairs = {disclosure.flow_key("UKR", "IRQ"): 9, disclosure.flow_key("SYR", "IRQ"): 20}
    earlier = [[{"origin": "UKR", "destination": "IRQ", "value": 7, "status": "F"}]]
    earlier[0].append({"origin": "SYR", "destination": "IRQ", "value": 10, "status": "F"})
    changed = disclosure.changed_since(pairs, earlier, 5, key_of=disclosure.flow_row_key)
    assert changed == {disclosure.flow_key("UKR", "IRQ")}


AREAS = {"AAA": ("S1", "R1"), "BBB": ("S1", "R1"), "CCC": ("S2", "R2")}


@hsettings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(list(AREAS)), st.sampled_from(list(AREAS))),
        st.integers(min_value=0, max_value=20),
        min_size=1,
    )
)
def test_no_group_of_cells_and_flows_reveals_a_hidden_pair(pairs):
    # given records giving both the citizenship cells and the pairs
    cells: dict = {}
    for (origin, destination), n in pairs.items():
        category = "Nationals" if origin == destination else "Foreigners"
        for key in (
            (destination, "Detected trafficking victims", "_T", "_T", "Total", "Total"),
            (destination, "Detected trafficking victims", "_T", "_T", "Citizenship", category),
        ):
            cells[key] = cells.get(key, 0) + n
    disclosure.add_area_totals(cells, AREAS)
    # when suppressed with the flows, and without
    alone = disclosure.suppress(cells, 5, AREAS)
    suppression = disclosure.suppress(cells, 5, AREAS, pairs=pairs)
    values, flow_groups = disclosure.flow_groups(cells, pairs)
    # then publishing flows changes no cell's status
    assert {key: suppression.status(key) for key in cells} == {
        key: alone.status(key) for key in cells
    }
    # and every small pair is hidden, as is a pair whose group would otherwise have exactly
    # one hidden member (when a pair can be hidden for it)
    for (origin, destination), n in pairs.items():
        if 0 < n < 5:
            assert disclosure.flow_key(origin, destination) in suppression.small
    for group in flow_groups:
        hidden = [key for key in group if key in suppression.hidden]
        free_pairs = [key for key in group[1:] if key not in suppression.hidden]
        assert len(hidden) != 1 or not free_pairs, group
    # and the pairs are grouped with the published cells themselves, not a total of their own
    assert not [key for key in values if str(key).startswith("('flow-total'")]


def test_the_annual_report_lists_the_flows_the_release_published(mission, round_2025, analyst):
    from django.utils import translation

    from ctip.reports.release import Release, flows

    rows = people(8, citizenship="UKR") + people(6, citizenship="SYR") + people(5)
    publish(mission, round_2025, analyst, rows)
    with translation.override("fr"):
        found = flows(2025, Release(2025))
    table = found.tables[-1]
    assert [[str(c) if isinstance(c, str) else c.text for c in row] for row in table.rows] == [
        ["Ukraine", "Iraq", "8", "Entre régions"],
        ["République arabe syrienne", "Iraq", "6", "Au sein de la sous-région"],
    ]
    assert found.figures["flows_published"].text == "2"
    assert found.figures["flows_transregional"].text == "1"
