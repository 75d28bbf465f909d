"""Public verified abductions by party: who is named, what is counted, what is hidden, and
that the page, the API and `public_figures` agree."""

import html
import re

import pytest
from django.test import Client

from ctip.core.codes import Role
from ctip.core.testing import signed_in_client, token_client
from ctip.incidents import patterns, policies, services
from ctip.incidents.tests.builders import listed_party, record, verified

pytestmark = pytest.mark.django_db
K = 5
UNLISTED = "Militia Unlisted Zulu"


@pytest.fixture
def listed(monitor, situation):
    """A party in the annex of the report of 2026, which covers 2025."""
    return listed_party(
        monitor, situation, "Listed Force", 2026, "recruitment_use", "state_armed_force"
    )


@pytest.fixture
def unlisted(monitor, situation):
    return services.party_save(
        actor=monitor,
        raw={"situation": situation.pk, "name": UNLISTED, "kind": "non_state_armed_group"},
    )


def abductions(recorder, verifier, where, n, /, **changes):
    """`n` verified abductions (two girls each unless said otherwise)."""
    for _n in range(n):
        verified(recorder, verifier, where, violations=["abduction"], **changes)


def in_year(year):
    return {"date": f"{year}-05-10", "on": f"{year}-06-01"}


def by_party(rows):
    return {(r.year, r.party_label): r for r in rows}


def assert_nothing_small_or_derivable(rows, figures):
    """No published count from 1 to k-1; in each situation-year the hidden cells of a
    group are never one alone; all incidents less abductions is 0 or at least k."""
    cells = [c for r in rows for c in (r.incidents, r.victims)]
    assert all(c.status != "F" or not 0 < c.value < K for c in cells)
    for year in {r.year for r in rows}:
        of_year = [r for r in rows if r.year == year]
        total, parts = of_year[0], of_year[1:]
        assert total.is_total
        for measure in ("incidents", "victims"):
            group = [getattr(r, measure) for r in [total, *parts]]
            assert sum(c.suppressed for c in group) != 1 or not parts
            if all(not c.suppressed for c in group) and parts:
                assert group[0].value == sum(c.value for c in group[1:])
            everything = getattr(next(f for f in figures if f.year == year), measure)
            if not everything.suppressed and not group[0].suppressed:
                assert (
                    everything.value - group[0].value == 0 or everything.value - group[0].value >= K
                )


# --- who is named -------------------------------------------------------------------------


def test_a_party_is_named_from_the_year_its_first_report_covers(monitor, listed, unlisted):
    # given a party listed in the report of 2026 and one never listed
    # then it is named for 2025 (covered by that report) and later, never before
    assert listed.pk in policies.publicly_named_parties(2025)
    assert listed.pk in policies.publicly_named_parties(2030)
    assert listed.pk not in policies.publicly_named_parties(2024)
    assert unlisted.pk not in policies.publicly_named_parties(2030)


def test_a_party_listed_only_in_a_later_report_is_pooled(
    monitor, second_monitor, situation, listed
):
    # given abductions of 2024 by a party whose first listing is the report of 2026
    abductions(monitor, second_monitor, situation, 6, party=listed.name, **in_year(2024))
    # when they are published
    rows, _k = patterns.public_abductions()
    # then it is not named for 2024 (the report of 2025 covers it): the pool has them
    assert [(r.party_label, r.incidents.value) for r in rows] == [
        ("All parties", 6),
        ("Other or unidentified parties", 6),
    ]
    assert not any(r.listed for r in rows)


def test_an_unlisted_party_is_never_named_on_the_page_or_in_the_api(
    monitor, second_monitor, situation, listed, unlisted
):
    # given abductions by a listed party, an unlisted one and an unknown one in 2025
    abductions(monitor, second_monitor, situation, 6, party=listed.name)
    abductions(monitor, second_monitor, situation, 3, party=UNLISTED)
    abductions(monitor, second_monitor, situation, 3, party="")
    # when the public reads the page and the API
    page = Client().get("/public/incidents/")
    api = Client().get("/api/v1/public/incidents")
    # then the listed party is named, the others are pooled and never named
    assert page.status_code == 200 and api.status_code == 200
    assert "Listed Force" in page.content.decode() and "Listed Force" in api.content.decode()
    assert UNLISTED not in page.content.decode() and UNLISTED not in api.content.decode()
    assert "Zulu" not in page.content.decode() and "Zulu" not in api.content.decode()
    rows = api.json()["abductions_by_party"]
    assert [(r["party"], r["listed"], r["verified_incidents"]["value"]) for r in rows] == [
        (None, False, 12),
        ("Listed Force", True, 6),
        ("other", False, 6),  # the unlisted party's three and the unknown's three
    ]


def test_the_register_that_names_every_party_stays_closed_to_the_public(actors, unlisted):
    # the parties' register (with unlisted parties) is for monitors and analysts only
    assert Client().get("/api/v1/incidents/parties").status_code == 401
    caseworker = token_client(actors.by_role[Role.CASEWORKER])
    assert caseworker.get("/api/v1/incidents/parties").status_code == 403
    assert signed_in_client(actors.by_role[Role.FOCAL_POINT]).get(
        "/incidents/parties/"
    ).status_code in {403, 404}
    analyst = token_client(actors.other_by_role[Role.ANALYST])
    assert UNLISTED in analyst.get("/api/v1/incidents/parties").content.decode()


# --- what is counted --------------------------------------------------------------------------


def test_only_verified_abductions_are_counted(monitor, second_monitor, situation, listed):
    # given five verified abductions by the listed party, and five verified killings
    abductions(monitor, second_monitor, situation, 5, party=listed.name)
    for _n in range(5):
        verified(monitor, second_monitor, situation, violations=["killing_maiming"], party="")
    # and abductions reported, under verification, not verified
    record(monitor, situation, party=listed.name)
    services.verification_start(
        actor=monitor, incident=record(monitor, situation, party=listed.name)
    )
    refused = record(monitor, situation, party=listed.name)
    services.verification_start(actor=monitor, incident=refused)
    services.verification_decide(
        actor=second_monitor,
        incident=refused,
        raw={"status": "not_verified", "basis": "insufficient", "decided_on": "2025-06-01"},
    )
    # when published
    rows, k = patterns.public_abductions()
    # then only the five verified abductions count, with their ten victims
    assert k == K
    assert [(r.party_label, r.incidents.value, r.victims.value) for r in rows] == [
        ("All parties", 5, 10),
        ("Listed Force", 5, 10),
    ]
    (figures,), _k = patterns.public_figures()
    assert figures.incidents.value == 10  # the killings are verified incidents all the same


def test_an_incident_with_an_abduction_and_another_violation_counts_once(
    monitor, second_monitor, situation, listed
):
    for _n in range(5):
        verified(
            monitor,
            second_monitor,
            situation,
            party=listed.name,
            violations=["abduction", "sexual_violence"],
        )
    rows, _k = patterns.public_abductions()
    assert rows[0].incidents.value == 5 and rows[0].victims.value == 10


# --- what is hidden ----------------------------------------------------------------------------


def test_a_small_pool_is_hidden_and_cannot_be_worked_out_from_the_total(
    monitor, second_monitor, situation, listed
):
    # given seven abductions by the listed party and two by no one known
    abductions(monitor, second_monitor, situation, 7, party=listed.name)
    abductions(monitor, second_monitor, situation, 2, party="")
    # when published
    rows, _k = patterns.public_abductions()
    total, party, pool = rows
    # then the pool is "<5", and the party is hidden too: 9 less a published 7 would be 2
    assert (total.incidents.value, total.incidents.status) == (9, "F")
    assert (pool.is_pooled, pool.incidents.status, pool.incidents.value) == (True, "A", None)
    assert (party.party, party.incidents.status, party.incidents.value) == (
        "Listed Force",
        "D",
        None,
    )
    figures, _k = patterns.public_figures()
    assert_nothing_small_or_derivable(rows, figures)


def test_the_other_incidents_cannot_be_worked_out_from_the_public_figures(
    monitor, second_monitor, situation, listed
):
    # given ten verified abductions and two other verified incidents
    abductions(monitor, second_monitor, situation, 5, party=listed.name)
    abductions(monitor, second_monitor, situation, 5, party="")
    for _n in range(2):
        verified(
            monitor,
            second_monitor,
            situation,
            violations=["killing_maiming"],
            party="",
            girls="0",
            men="1",
        )
    # when both tables are published
    rows, _k = patterns.public_abductions()
    figures, _k = patterns.public_figures()
    # then the twelve incidents are published, and so not the ten abductions beside them
    # (12 - 10 would tell the two others); a party is hidden with the total
    assert figures[0].incidents.value == 12
    assert rows[0].incidents.status == "D"
    assert sum(r.incidents.suppressed for r in rows[1:]) >= 1
    assert_nothing_small_or_derivable(rows, figures)


def test_three_small_parties_are_not_shown_when_their_count_would_narrow_the_total(
    monitor, second_monitor, situation, listed
):
    # given three abductions, by three perpetrators: three "<5" would make the total 3 or 4
    second = listed_party(
        monitor, situation, "Listed Second", 2025, "abduction", "non_state_armed_group"
    )
    for name in (listed.name, second.name, ""):
        abductions(monitor, second_monitor, situation, 1, party=name)
    # when published
    rows, _k = patterns.public_abductions()
    # then only the total, "<5"
    assert [(r.is_total, r.incidents.text) for r in rows] == [(True, "<5")]


def test_a_clear_table_names_the_party_and_leaves_the_public_figures_whole(
    monitor, second_monitor, situation, listed
):
    abductions(monitor, second_monitor, situation, 6, party=listed.name)
    for _n in range(6):
        verified(monitor, second_monitor, situation, violations=["killing_maiming"], party="")
    (figures,), _k = patterns.public_figures()
    assert figures.incidents.value == 12 and figures.victims.value == 24
    rows, _k = patterns.public_abductions()
    assert [(r.party_label, r.incidents.value) for r in rows] == [
        ("All parties", 6),
        ("Listed Force", 6),
    ]


# --- the page, the API, the year -------------------------------------------------------------


def page_rows(text):
    """The abductions table of the page as lists of cell texts."""
    table = text.split('data-testid="public-abductions"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td>(.*?)</td>", row)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_the_page_and_the_api_show_the_same_numbers(
    monitor, second_monitor, situation, listed, unlisted
):
    abductions(monitor, second_monitor, situation, 7, party=listed.name)
    abductions(monitor, second_monitor, situation, 2, party=UNLISTED)
    abductions(monitor, second_monitor, situation, 6, party=listed.name, **in_year(2024))
    api = Client().get("/api/v1/public/incidents").json()["abductions_by_party"]
    text = Client().get("/public/incidents/").content.decode()
    assert text.count('data-testid="public-abductions"') == 1
    page = page_rows(text)
    labels = {None: "All parties", "other": "Other or unidentified parties"}
    assert [
        [
            r["situation"],
            str(r["year"]),
            labels.get(r["party"], r["party"]),
            r["verified_incidents"]["text"],
            r["victims"]["text"],
        ]
        for r in api
    ] == page
    assert [row[2] for row in page] == [
        "All parties",
        "Listed Force",
        "Other or unidentified parties",
        "All parties",
        "Other or unidentified parties",  # 2024: not yet named by the report of 2026
    ]
    assert all(not (v.isdigit() and 0 < int(v) < K) for row in page for v in row[3:])


def test_a_year_has_the_rows_of_the_table_of_all_years(
    monitor, second_monitor, situation, listed, unlisted
):
    abductions(monitor, second_monitor, situation, 7, party=listed.name)
    abductions(monitor, second_monitor, situation, 2, party=UNLISTED)
    abductions(monitor, second_monitor, situation, 3, party=listed.name, **in_year(2024))
    abductions(monitor, second_monitor, situation, 5, party="", **in_year(2024))
    every, _k = patterns.public_abductions()
    assert {r.year for r in every} == {2024, 2025}
    for year in (2024, 2025):
        of_year, _k = patterns.public_abductions(year)
        assert of_year == [r for r in every if r.year == year]
        figures, _k = patterns.public_figures(year=year)
        assert_nothing_small_or_derivable(of_year, figures)
    assert patterns.public_abductions(2023)[0] == []
    assert by_party(every)[(2024, "Other or unidentified parties")].incidents.value == 8


def test_a_listing_for_a_report_not_out_yet_names_no_one(monitor, situation):
    from django.utils import timezone

    this_year = timezone.localdate().year
    early = listed_party(monitor, situation, "Listed Early", this_year + 1, "abduction", "other")
    assert early.pk not in policies.publicly_named_parties(this_year)
    assert early.pk not in policies.publicly_named_parties(this_year + 5)
