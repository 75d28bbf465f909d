"""A flow-monitoring survey end to end: an analyst imports a KoBoToolbox export of the
survey's form, reads the prevalence by nationality with its interval, and publishes it; the
public pages show the estimate, labelled as a survey estimate."""

from pathlib import Path

import pytest

from ctip.core.codes import EntityKind, Role
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from ctip.surveys import services
from tests.browser.helpers import HOME, set_up_two_factor, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EXPORT = (
    Path(__file__).resolve().parents[1] / "fixtures" / "kobo" / "survey_xml_values_and_headers.csv"
)


def test_import_a_kobo_export_read_by_nationality_and_publish(page):
    load_reference_data()
    agency = make_entity("IOMX", kind=EntityKind.UN_AGENCY)
    analyst = make_user(agency, Role.ANALYST, email="dtm@iomx.test")
    services.survey_save(
        actor=analyst,
        entity=agency,
        raw={
            "code": "fms-journey",
            "title": "Journey survey",
            "indicators": ["unpaid_work", "forced_work", "family_forced_work"],
            "breakdowns": ["nationality", "route", "country_of_interview"],
            "min_n": "1",
        },
    )

    sign_in(page, "dtm@iomx.test")
    set_up_two_factor(page)
    page.wait_for_url(HOME)
    page.click("nav >> text=Surveys")
    page.click("text=fms-journey")
    page.set_input_files("main input[name=file]", str(EXPORT))
    page.click("main form button:has-text('Import')")
    page.wait_for_selector("[data-testid=report]:has-text('3 responses imported')")

    page.select_option("main select[name=by]", "nationality")
    page.select_option("main select[name=indicator]", "any")
    page.click("main form.filters button")
    row = page.locator("[data-testid=estimates] tr[data-group='NGA']")
    cells = row.locator("td")
    assert cells.nth(4).inner_text() == "100 %"  # the one Nigerian respondent said yes
    low, high = cells.nth(5).inner_text().rstrip(" %").split("–")
    assert 0 <= int(low) < 100 and int(high) == 100  # an interval, not a point
    assert page.locator("main img[alt*='interval']").count() == 1

    page.click("text=Publish the estimates as they are today")
    page.wait_for_selector("text=Published:")
    sign_out(page)

    page.goto("/public/surveys/")
    section = page.inner_text("[data-survey='fms-journey']")
    assert "Journey survey" in section and "NGA" in section
    page.goto("/public/statistics/")
    assert "Journey survey" in page.inner_text("[data-testid=survey-estimates]")
