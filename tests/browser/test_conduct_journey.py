"""Sexual exploitation and abuse end to end: an anonymous report arrives, the focal point is
told at once, the investigation runs past its six-month deadline and is flagged, and the
public page counts the allegation without revealing a small number."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache

from ctip.conduct.models import Allegation
from ctip.core.codes import EntityKind, Role
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from tests.browser.helpers import HOME, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_report_to_overdue_investigation_to_public_page(page):
    load_reference_data()
    cache.clear()
    mission = make_entity("MINUSXX", kind=EntityKind.UN_MISSION)
    focal = make_user(mission, Role.FOCAL_POINT, email="focal@minusxx.test")
    make_user(mission, Role.CONDUCT_OFFICER, email="conduct@minusxx.test")

    page.goto("/public/conduct/")
    assert page.inner_text("table[data-table=mission]").strip().endswith("0")

    # anyone, without signing in
    page.goto("/public/conduct/report/")
    page.select_option("main select[name=entity]", "MINUSXX")
    page.select_option("main select[name=category]", "transactional_sex")
    page.select_option("main select[name=personnel_category]", "military")
    page.fill("textarea[name=account]", "A soldier offered food for sex near the water point.")
    page.click("main form button[type=submit]")
    page.wait_for_selector("h1:has-text('Your report was received')")
    reference = page.inner_text("main strong")
    assert reference == "MINUSXX-" + str(datetime.date.today().year) + "-0001"
    assert focal.email in {address for message in mail.outbox for address in message.to}

    # time passes: the report came in eight months ago (as if the clock had moved on)
    long_ago = datetime.date.today() - datetime.timedelta(days=240)
    Allegation.objects.filter(reference=reference).update(reported_on=long_ago)

    sign_in(page, "conduct@minusxx.test")
    page.wait_for_url(HOME)
    page.click("nav >> text=Conduct")
    page.click(f"text={reference}")
    page.select_option("main select[name=body]", "national")
    page.fill("input[name=referred_on]", (long_ago + datetime.timedelta(days=2)).isoformat())
    page.click("text=Save investigation")
    page.wait_for_selector("text=Investigation saved.")
    assert "overdue" in page.inner_text("[data-testid=deadline]")
    page.click("text=Back to the register")
    page.wait_for_selector(f"tr[data-reference='{reference}'] [data-testid=overdue]")
    sign_out(page)

    # the public page counts it, small numbers hidden
    page.goto("/public/conduct/")
    assert "<3" in page.inner_text("table[data-table=category]")
    assert "Transactional sex" in page.inner_text("table[data-table=category]")
