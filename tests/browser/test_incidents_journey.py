"""Incidents end to end: a monitor records the abduction of two girls, a second monitor
verifies it (the first may not), one girl is released and referred to a caseworker, who
finds her case; the party's pattern shows the incident, and the public page counts it
without a small number."""

import datetime

import pytest

from ctip.core import services as core
from ctip.core.codes import EntityKind, Role
from ctip.core.models import Country
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from ctip.incidents import services
from tests.browser.helpers import HOME, set_up_two_factor, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_abduction_recorded_verified_released_referred_and_counted(page):
    load_reference_data()
    mission = make_entity("MINUSYY", kind=EntityKind.UN_MISSION)
    first = make_user(mission, Role.MONITOR, email="monitor1@minusyy.test")
    make_user(mission, Role.MONITOR, email="monitor2@minusyy.test")
    make_user(mission, Role.CASEWORKER, email="caseworker@minusyy.test")
    situation = core.conflict_situation_save(
        actor=None,
        name="Journey conflict",
        countries=[Country.objects.get(alpha3="CAF")],
        start_date=datetime.date(2013, 1, 1),
    )
    services.party_save(
        actor=first,
        raw={
            "situation": situation.pk,
            "name": "Group K",
            "kind": "non_state_armed_group",
            "aliases": "Kilo",
        },
    )
    day = (datetime.date.today() - datetime.timedelta(days=10)).isoformat()

    # the first monitor records what happened
    sign_in(page, "monitor1@minusyy.test")
    set_up_two_factor(page)
    page.wait_for_url(HOME)
    page.click("nav >> text=Incidents")
    page.click("text=Record an incident")
    page.select_option("main select[name=situation]", str(situation.pk))
    page.fill("input[name=date]", day)
    page.fill("input[name=country]", "CAF")
    page.fill("input[name=admin1]", "Vakaga")
    page.check("input[name=violations][value=abduction]")
    page.check("input[name=violations][value=sexual_violence]")
    page.fill("input[name=party]", "Kilo")
    page.fill("input[name=girls]", "2")
    page.fill("textarea[name=narrative]", "Two girls taken at the well.")
    page.fill("input[name=source_1]", "Their mother")
    page.click("main form button:has-text('Save')")
    page.wait_for_selector("text=Recorded as MINUSYY-I")
    reference = page.inner_text("main h1")
    assert "Two girls taken" not in page.content()  # read only on purpose
    page.click("text=Put under verification")
    page.wait_for_selector("text=a second monitor decides")
    for name in ("Aline D.", "Mireille K."):
        page.select_option("main select[name=group]", "girls")
        page.fill("input[name=names]", name)
        page.click("main form button:has-text('Add')")
        page.wait_for_selector("text=Saved.")
    assert page.locator("tr[data-abductee]").count() == 2
    sign_out(page)

    # the second monitor verifies it, and follows the girl who is released
    sign_in(page, "monitor2@minusyy.test")
    set_up_two_factor(page)
    page.wait_for_url(HOME)
    page.click("nav >> text=Incidents")
    page.click(f"[data-testid=awaiting] >> text={reference}")
    page.select_option("main select[name=status]", "verified")
    page.select_option("main select[name=basis]", "first_hand_corroborated")
    page.click("main form button:has-text('Decide')")
    page.wait_for_selector("[data-testid=status]:has-text('Verified')")
    page.click("tr[data-abductee] >> nth=0 >> a")
    page.select_option("main select[name=status]", "released")
    page.click("main form button:has-text('Save')")
    page.wait_for_selector("[data-testid=abductee-status]:has-text('Released')")
    page.select_option("main select[name=caseworker]", label="caseworker of MINUSYY")
    page.check("input[name=consent_referral]")
    page.click("main form button:has-text('Refer')")
    page.wait_for_selector("text=Referred: case MINUSYY-C")
    case_reference = page.inner_text(".messages").split("case ")[1].split(" ")[0]
    page.goto("/incidents/patterns/")
    row = page.locator("tr[data-party='Group K'][data-violation='abduction']")
    assert row.locator("td").nth(3).inner_text() == "1"  # one verified incident
    assert row.locator("td").nth(4).inner_text() == "2"  # two victims
    sign_out(page)

    # the caseworker finds the case, with the person's identity
    sign_in(page, "caseworker@minusyy.test")
    page.wait_for_url(HOME)
    page.click("nav >> text=Cases")
    page.click(f"text={case_reference}")
    page.wait_for_selector(f"h1:has-text('{case_reference}')")
    sign_out(page)

    # the public page: verified, two victims, shown as "<5"
    page.goto("/public/incidents/")
    table = page.inner_text("[data-testid=public-incidents]")
    assert "Journey conflict" in table and "<5" in table
