"""Victim identification end to end, in Chinese: a caseworker screens a person, opens a case
and refers it to an NGO; the NGO accepts and records a service; the case goes into the
reporting round, and an analyst sees the pseudonymised record and no identity."""

import datetime

import pytest

from ctip.cases.services import offer_save
from ctip.core.codes import EntityKind, Role
from ctip.core.models import Country
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from ctip.statistics.models import ReportingRound
from tests.browser.helpers import HOME, set_up_two_factor, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "王小红"


def in_chinese(page) -> None:
    """Everyone here works in Chinese: chosen once in the header, remembered for the user."""
    page.select_option("header select[name=language]", "zh-hans")
    page.wait_for_selector("html[lang=zh-hans]")


def test_screening_to_case_to_referral_to_statistics_in_chinese(page):
    load_reference_data()
    mission = make_entity("UNAMX", kind=EntityKind.UN_MISSION)
    mission.country = Country.objects.get(alpha3="IRQ")
    mission.save()
    make_user(mission, Role.CASEWORKER, email="worker@unamx.test")
    ngo = make_entity("SAFEHOME", kind=EntityKind.NGO)
    offer_save(
        actor=make_user(ngo, Role.FOCAL_POINT, email="focal@safehome.test"),
        service="shelter",
        country="IRQ",
    )
    make_user(make_entity("UNODCX"), Role.ANALYST, email="analyst@unodc.test")
    year = datetime.date.today().year
    ReportingRound.objects.create(year=year, deadline=datetime.date(year + 1, 6, 30))

    # the caseworker screens, opens the case, refers it and adds it to the round
    sign_in(page, "worker@unamx.test")
    page.wait_for_url(HOME)
    in_chinese(page)
    page.goto("/cases/")
    assert "筛查与案件" in page.inner_text("h1")
    page.click("a[href='/cases/screen/ilo_forced_labour/']")
    page.fill("input[name=place]", "摩苏尔接待中心")
    page.select_option("main select[name=setting]", "reception")
    page.check("input[name=ilo_forced_labour_documents][value=yes]")
    page.check("input[name=ilo_forced_labour_debt][value=yes]")
    page.check("input[name=ilo_forced_labour_movement][value=yes]")
    page.select_option("main select[name=outcome]", "presumed_victim")
    page.fill("textarea[name=reason]", "证件被扣留，债务不断增加。")
    page.check("input[name=open_case]")
    page.click("main form.card button[type=submit]")
    page.wait_for_url("**/cases/new/?screening=*")
    page.fill("input[name=names]", NAME)
    page.fill("input[name=date_of_birth]", "2006-03-02")
    page.select_option("main select[name=sex]", "F")
    page.select_option("main select[name=age_band]", "18--20")
    page.fill("input[name=citizenship]", "SYR")
    page.check("input[name=forms_of_exploitation][value=ForcedLabour]")
    page.check("input[name=consent_referral]")
    page.check("input[name=consent_statistics]")
    page.fill("input[name=consent_date]", datetime.date.today().isoformat())
    page.click("main form.card button[type=submit]")
    page.wait_for_selector("h1:has-text('UNAMX-C')")
    case_url = page.url
    page.click("text=转介给服务提供方")
    page.check("input[name=services][value=shelter]")
    page.check("input[name=parts][value=profile]")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector("[data-referral-status=pending]")
    page.fill("#linkage-secret", "the demo round's shared secret")
    page.click("form[action$='/statistics/'] button")
    page.wait_for_selector("[data-testid=reported]")
    sign_out(page)

    # the NGO sees only what was shared, accepts, records a service
    sign_in(page, "focal@safehome.test")
    page.wait_for_url(HOME)
    in_chinese(page)
    page.goto("/cases/referrals/")
    page.click("main table a")
    assert NAME not in page.content()
    assert "SYR" in page.inner_text("[data-testid=shared]")
    page.click("button[value=accept]")
    page.wait_for_selector("[data-testid=referral-status]:has-text('已接受')")
    page.select_option("main select[name=service]", "shelter")
    page.fill("input[name=started_on]", datetime.date.today().isoformat())
    page.click("button[value=service]")
    page.wait_for_selector("text=已记录服务")
    sign_out(page)

    # the referring caseworker sees the answer on the case
    sign_in(page, "worker@unamx.test")
    page.wait_for_url(HOME)
    page.goto(case_url)
    page.wait_for_selector("[data-referral-status=accepted]")
    assert "SAFEHOME" in page.inner_text("main")
    sign_out(page)

    # the analyst: the pseudonymised record, no identity, no way into the case
    sign_in(page, "analyst@unodc.test")
    set_up_two_factor(page)
    page.wait_for_url(HOME)
    in_chinese(page)
    page.goto(f"/statistics/rounds/{year}/")
    page.click("main table a:has-text('伊拉克')")
    assert "1 条受害者记录" in page.inner_text("main")
    assert NAME not in page.content()
    assert page.goto(case_url).status == 403
