"""Case law end to end: a legal officer adds a decision in Chinese, another publishes it, and
an anonymous visitor finds it with a two-character query."""

import pytest

from ctip.core.codes import Role
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from tests.browser.helpers import HOME, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_legal_officer_to_reviewer_to_public(page):
    load_reference_data()
    office = make_entity("UNODC")
    make_user(office, Role.LEGAL_OFFICER, email="author@unodc.test")
    make_user(office, Role.LEGAL_OFFICER, email="reviewer@unodc.test")

    # the author adds a decision written in Chinese
    sign_in(page, "author@unodc.test")
    page.wait_for_url(HOME)
    page.goto("/caselaw/new/")
    page.fill("input[name=title]", "检察院诉李某拐卖儿童案")
    page.fill("input[name=country]", "CHN")
    page.fill("input[name=court]", "示例中级人民法院")
    page.fill("input[name=decision_date]", "2023-05-04")
    page.select_option("main select[name=language]", "zh")
    page.select_option("main select[name=verdict]", "convicted")
    page.fill("textarea[name=fact_summary]", "被告人将两名儿童从农村带走并出卖，用于强迫劳动。")
    page.check("input[name=forms_of_exploitation][value=ForcedLabour]")
    page.check("input[name=evidential_issues][value=child_victims]")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector("text=Saved as version 1")
    detail = page.url
    # the author is not offered to publish their own text
    assert page.locator("text=Review and publish").count() == 0
    page.wait_for_selector("text=another legal officer reviews")
    sign_out(page)

    # not public yet
    page.goto("/public/caselaw/?q=儿童")
    page.wait_for_selector("text=0 decisions found")

    # a second legal officer reviews and publishes
    sign_in(page, "reviewer@unodc.test")
    page.wait_for_url(HOME)
    page.goto(detail)
    page.click("text=Review and publish")
    page.wait_for_selector("p.status >> text=Published")
    sign_out(page)

    # an anonymous visitor finds it with two characters, highlighted
    page.goto("/public/caselaw/?q=儿童")
    page.wait_for_selector("text=1 decision found")
    assert page.locator("ol.results mark").first.inner_text() == "儿童"
    page.click("ol.results h3 a")
    page.wait_for_selector("h1:has-text('拐卖儿童案')")
    assert "1 decisions from 1 jurisdictions" in page.goto("/public/caselaw/digest/").text()
