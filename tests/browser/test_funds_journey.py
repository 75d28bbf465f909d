"""A trust fund's year: a fund manager records an NGO's proposal, scores it, puts it on the
reserve list, then funds it when money comes; records the grantee's report of victims
assisted; the fund's public page shows them, without naming the grantee."""

import datetime

import pytest

from ctip.core.codes import Role
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from ctip.funds import services
from tests.browser.helpers import HOME, set_up_two_factor, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_proposal_is_scored_reserved_funded_and_its_report_made_public(page):
    load_reference_data()
    secretariat = make_entity("VTFSEC")
    manager = make_user(secretariat, Role.FUND_MANAGER, email="vtf@sec.test")
    fund = services.fund_save(
        actor=manager, raw={"code": "JVTF", "name": "Journey trust fund", "purpose": "trafficking"}
    )
    services.call_save(
        actor=manager,
        fund=fund,
        raw={"title": "Journey call", "opens_on": "2024-01-01", "closes_on": "2024-03-31"},
    )
    last_year = datetime.date.today().year - 1

    sign_in(page, "vtf@sec.test")
    set_up_two_factor(page)  # fund managers know which NGO shelters victims where
    page.wait_for_url(HOME)
    page.click("nav >> text=Trust funds")
    page.click("text=JVTF")
    form = page.locator("form[action$='/add/proposal/']")
    form.locator("input[name=applicant]").fill("Journey Shelter (fictitious)")
    form.locator("input[name=country]").fill("NGA")
    form.locator("input[name=amount]").fill("45000")
    form.locator("input[name=start]").fill(f"{last_year}-01-01")
    form.locator("input[name=end]").fill(f"{last_year}-12-31")
    form.locator("input[value=shelter]").check()
    form.locator("button").click()
    page.wait_for_selector("text=recorded.")

    page.fill("input[name=score]", "82")
    page.click("button[name=review]")
    page.wait_for_selector("text=Review recorded.")
    page.select_option("select[name=decision]", "reserve")
    page.fill("textarea[name=reason]", "Strong; beyond this year's funds.")
    page.click("button[name=decide]")
    page.wait_for_selector("[data-testid=status]:has-text('On the reserve list (#1)')")

    page.select_option("select[name=decision]", "fund")
    page.fill("textarea[name=reason]", "A donor's contribution arrived.")
    page.click("button[name=decide]")
    page.wait_for_selector("[data-testid=status]:has-text('Funded')")

    page.click("text=the grant")
    page.fill("input[name=victims]", "40")
    page.fill("input[name='by_sex.F']", "30")
    page.fill("input[name='by_sex.M']", "10")
    page.fill("input[name='by_age.Y0T17']", "12")
    page.fill("input[name='by_age.Y_GE18']", "20")
    page.click("button[name=submit]")  # the ages add up to 32, not 40: refused, kept
    page.wait_for_selector("text=add up to 32")
    assert page.input_value("input[name='by_sex.F']") == "30"
    page.fill("input[name='by_age.Y_GE18']", "28")
    page.click("button[name=submit]")
    page.wait_for_selector("text=Report recorded.")
    sign_out(page)

    page.goto("/public/funds/JVTF/")
    row = page.inner_text(f"[data-testid=assisted] tr[data-year='{last_year}']")
    assert "40" in row and "30" in row and "10" in row
    assert "Journey Shelter" not in page.inner_text("main")
