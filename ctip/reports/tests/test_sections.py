"""The sections that read the conflict apps and conduct: each prints only what the app's
public side publishes (cleared situations, listed parties, jointly suppressed years)."""

import datetime

import pytest
from django.utils import translation

from ctip.core import services as core
from ctip.core.codes import Role
from ctip.core.models import Country
from ctip.core.testing import make_user
from ctip.reports.release import Release
from ctip.reports.sections import early_warning
from ctip.reports.tests.conftest import YEAR
from ctip.warning.tests.builders import SUMMARY, assessed

pytestmark = pytest.mark.django_db


def texts(table):
    return [[c if isinstance(c, str) else c.text for c in row] for row in table.rows]


def test_early_warning_lists_only_situations_cleared_for_publication(published, actors):
    # given two situations assessed in the year; one assessment cleared by a second analyst
    on = datetime.date(YEAR, 11, 1)
    assessed(actors, "Cleared conflict", on, cleared=True)
    assessed(actors, "Kept conflict", on, cleared=False)
    # when
    with translation.override("en"):
        found = early_warning(YEAR, Release(YEAR))
    # then only the cleared one, with its level, and never its summary
    assert found.figures["situations_shared"].text == "1"
    [table] = found.tables
    assert texts(table) == [["Cleared conflict", "High", "1 November 2025"]]
    assert SUMMARY not in repr(found)
    # and a year before any assessment says so
    with translation.override("en"):
        earlier = early_warning(YEAR - 1, Release(YEAR))
    assert not earlier.tables and "No early-warning assessment" in earlier.empty


def test_the_menu_offers_the_report_only_to_its_authors(actors):
    from ctip.core.codes import EntityKind
    from ctip.core.testing import make_entity, signed_in_client

    state = make_user(make_entity(kind=EntityKind.MEMBER_STATE), Role.ANALYST)
    for user, shown in ((actors.by_role[Role.ANALYST], True), (state, False)):
        page = signed_in_client(user).get("/").content.decode()
        assert ('href="/reports/"' in page) is shown, user


def test_conduct_prints_the_years_figures_as_the_public_page_publishes_them(
    published, actors, settings
):
    from ctip.conduct.figures import public_year
    from ctip.conduct.tests.builders import record
    from ctip.reports.sections import conduct

    settings.CTIP_CONDUCT_PUBLIC_THRESHOLD = 3
    officer = actors.by_role[Role.CONDUCT_OFFICER]
    for n, category, day in ((7, "rape", "2025-03-04"), (2, "sexual_abuse", "2025-04-04")):
        for _ in range(n):
            record(officer, reported_on=day, incident_date="2025-01-01", category=category)
    for _ in range(6):
        record(officer, reported_on="2026-02-02", incident_date="2026-01-01")
    with translation.override("en"):
        found = conduct(YEAR, Release(YEAR))
        the_year = public_year(YEAR)
    by_category = found.tables[0]
    assert texts(by_category) == [
        *([label, value.text] for label, value in the_year.by_category),
        ["Total", the_year.allegations.text],
    ]
    assert dict(texts(by_category))["Sexual abuse"] in ("<3", "C")  # 2 of them
    assert found.figures["allegations_in_year"].text == the_year.allegations.text
    assert found.figures["allegations_total"].text == "15"


def test_conflict_names_only_listed_parties_as_the_public_page_does(published, actors):
    from django.test import Client

    from ctip.incidents import services as incidents
    from ctip.incidents.public import public_abductions
    from ctip.incidents.tests.builders import verified
    from ctip.reports.sections import conflict

    # given abductions of the year by a party listed in the report that covers it, and by
    # one never listed
    monitor, second = actors.by_role[Role.MONITOR], make_user(actors.entity, Role.MONITOR)
    situation = core.conflict_situation_save(
        actor=None,
        name="Reported conflict",
        countries=list(Country.objects.filter(alpha3="CAF")),
        start_date=datetime.date(2013, 1, 1),
    )
    for name, kind in (("Listed Force", "state_armed_force"), ("Militia Zulu", "other")):
        party = incidents.party_save(
            actor=monitor, raw={"situation": situation.pk, "name": name, "kind": kind}
        )
        if name == "Listed Force":
            incidents.listing_save(
                actor=monitor,
                party=party,
                raw={"annex": "caac_i", "year": YEAR + 1, "violations": ["abduction"]},
            )
        for _n in range(6):
            verified(
                monitor,
                second,
                situation,
                violations=["abduction"],
                party=name,
                date=f"{YEAR}-05-10",
                on=f"{YEAR}-06-01",
            )
    # when
    rows, _k = public_abductions(year=YEAR)
    with translation.override("en"):
        found = conflict(YEAR, Release(YEAR))
    # then the report prints the public rows, naming the listed party only
    [table] = [t for t in found.tables if t.title == "Verified abductions by party to conflict"]
    assert texts(table) == [
        [r.situation, r.party_label, r.incidents.text, r.victims.text] for r in rows
    ]
    assert texts(table)[1][:3] == ["Reported conflict", "Listed Force", "6"]
    assert "Militia Zulu" not in repr(found)
    assert found.figures["abductions_verified"].text == "12"
    assert found.figures["parties_named"].text == "1"
    page = Client().get("/public/incidents/").content.decode()
    assert "Listed Force" in page and "Militia Zulu" not in page
