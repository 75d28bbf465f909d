"""Treaties and country profiles end to end: a legal officer imports the UN Treaty
Collection's status table and records a national response; an anonymous visitor asks who
was a party on a date, opens a country's profile and reads it in Chinese."""

from pathlib import Path

import pytest

from ctip.core.codes import Role
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from tests.browser.helpers import HOME, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLE = Path(__file__).parents[2] / "ctip/countries/tests/data/untc_status_sample.csv"


def test_status_import_to_public_profile(page):
    load_reference_data()
    make_user(make_entity("UNODC"), Role.LEGAL_OFFICER, email="legal@unodc.test")

    sign_in(page, "legal@unodc.test")
    page.wait_for_url(HOME)
    page.click("nav >> text=Treaties and legislation")
    page.select_option("main select[name=treaty-instrument]", "UNTOC-TIP")
    page.fill("input[name=treaty-source]", "UN Treaty Collection, test extract")
    page.set_input_files("input[name=treaty-file]", str(SAMPLE))
    page.click("form:has(input[value=treaty]) button[type=submit]")
    page.wait_for_selector("[data-testid=import-outcome]:has-text('12 new')")

    page.click("text=Record a national response")
    page.fill("input[name=country]", "IRQ")
    page.fill("input[name=year]", "2024")
    page.select_option("main select[name=criminalization]", "full")
    page.fill("textarea[name=legislation]", "Law No. 28 of 2012 on Combating Human Trafficking")
    page.select_option("main select[name=referral_mechanism]", "no")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector("h1:has-text('Iraq')")
    sign_out(page)

    # anyone: who was bound by the Protocol on 5 September 2006?
    page.goto("/public/treaties/")
    page.click("text=Protocol to Prevent, Suppress and Punish Trafficking")
    page.fill("input[name=as_of]", "2006-09-05")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=party-count]:has-text('4 parties as of')")
    assert page.locator("#non-parties ~ div >> text=Iraq").count() == 1
    page.fill("input[name=as_of]", "2010-01-01")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=party-count]:has-text('7 parties as of')")
    page.click("#parties ~ div >> text=Iraq")
    page.wait_for_selector("h1:has-text('Iraq')")
    assert "Law No. 28 of 2012" in page.inner_text("#legislation ~ details")
    assert page.inner_text("td[data-instrument=UNTOC-TIP]") == "Party"

    # the same profile in Chinese
    page.select_option("header select[name=language]", "zh-hans")
    page.wait_for_selector("h1:has-text('伊拉克')")
    assert page.inner_text("td[data-instrument=UNTOC-TIP]") == "缔约方"
