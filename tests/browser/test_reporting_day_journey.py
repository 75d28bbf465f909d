"""A focal point's and an analyst's day in a reporting round (issue 18), in English and in
French: the home page says what is due; a file is checked, then imported with one click;
the grid keeps a bad value as typed and marks it; the analyst finds the submission in the
list, undoes a duplicate decision, previews the release before publishing it, and the
published round takes no more data. The French run checks the structure, not the words."""

import datetime

import pytest

from ctip.core.codes import Role
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from ctip.statistics.layouts import CTIP_COLUMNS
from ctip.statistics.models import DuplicateCluster, Submission, VictimRecord
from ctip.statistics.services import round_open
from tests.browser.helpers import HOME, set_up_two_factor, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csv(rows: int) -> bytes:
    row = {"year_of_identification": 2025, "country_of_detection": "CAF", "sex": "F"}
    lines = [",".join(CTIP_COLUMNS)] + [
        ",".join(str(row.get(c, "")) for c in CTIP_COLUMNS) for _n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def _in(page, language: str) -> None:
    if language != "en":
        page.select_option("header select[name=language]", language)
        page.wait_for_selector(f"html[lang={language}]")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_day_of_reporting(page, language):
    load_reference_data()
    round_open(actor=None, year=2025, deadline=datetime.date(2026, 6, 30))
    mission = make_entity("MINUSCA")
    make_user(mission, Role.FOCAL_POINT, email="focal@minusca.test")
    make_user(make_entity("CTIP"), Role.ANALYST, email="analyst@ctip.test")

    # the focal point checks a file: nothing is written until "import these 12 rows"
    sign_in(page, "focal@minusca.test")
    page.wait_for_url(HOME)
    _in(page, language)
    page.goto("/statistics/rounds/2025/import/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "records.csv", "mimeType": "text/csv", "buffer": _csv(12)}],
    )
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=import-now]")
    assert not VictimRecord.objects.exists()
    page.get_by_test_id("import-now").click()
    page.wait_for_selector("[data-testid=import-outcome]")
    page.wait_for_function("document.querySelector('[data-testid=import-now]') === null")
    assert VictimRecord.objects.count() == 12

    # a table by hand for another country, picked by its name in the user's language
    page.goto("/statistics/rounds/2025/")
    chad = {"en": "Chad", "fr": "Tchad"}[language]
    page.fill("main form[action$='/start/'] input[name=country]", chad)
    page.click("main form[action$='/start/'] button[type=submit]")
    assert chad in page.inner_text("main h1")
    page.goto("/statistics/rounds/2025/")

    # the home page says drafts wait to be sent, and leads to them
    page.goto("/")
    page.click("[data-testid=due] a[href*='status=draft']")
    assert page.get_by_test_id("list-count").inner_text().startswith("2")
    page.click("main td a[href^='/statistics/submissions/'] >> nth=0")

    # a bad value in the grid comes back as typed, marked; the good one is not lost
    page.fill("input[name='cell|Persons convicted|_T|_T|Total']", "3")
    page.fill("input[name='cell|Persons prosecuted|_T|_T|Total']", "trois")
    page.click("main form[action$='/grid/'] button[type=submit]")
    bad = page.locator("input[name='cell|Persons prosecuted|_T|_T|Total']")
    assert bad.get_attribute("aria-invalid") == "true" and bad.input_value() == "trois"
    assert page.input_value("input[name='cell|Persons convicted|_T|_T|Total']") == "3"
    bad.fill("4")  # prosecuted: at least the 3 convicted
    page.click("main form[action$='/grid/'] button[type=submit]")
    page.wait_for_selector("[data-testid=submission-status]")
    page.click("main form[action$='/submit/'] button[type=submit]")
    page.wait_for_selector("main form[action$='/grid/'] input[name^=cell]", state="detached")
    assert Submission.objects.get(country_of_detection="CAF").status == "submitted"
    sign_out(page)

    # the analyst finds it among the submitted ones, validates it, undoes a wrong decision
    sign_in(page, "analyst@ctip.test")
    set_up_two_factor(page)
    page.wait_for_url(HOME)
    _in(page, language)
    page.click("[data-testid=due] a[href*='status=submitted']")
    page.click("main td a[href^='/statistics/submissions/']")
    page.click("main form[action$='/validate/'] button[type=submit]")
    record = VictimRecord.objects.first()
    cluster = DuplicateCluster.objects.create(
        round=record.submission.round, match_probability=0.9, status="confirmed"
    )
    cluster.members.create(record=record)
    page.goto("/statistics/rounds/2025/#duplicates")
    page.get_by_test_id(f"undo-{cluster.pk}").click()
    cluster.refresh_from_db()
    assert cluster.status == "proposed"

    # the release is previewed, then published; the round then takes no more data
    page.goto("/statistics/rounds/2025/")
    page.fill("input[name=threshold]", "5")
    page.click("main form[action$='/publish/'] button[type=submit]")
    page.wait_for_selector("[data-testid=publish-summary]")
    assert page.locator("main tr[data-area=CAF]").count() == 1
    page.get_by_test_id("publish-confirm").click()
    page.wait_for_selector("[data-testid=round-state][data-state=published]")
    sign_out(page)
    sign_in(page, "focal@minusca.test")
    page.wait_for_url(HOME)
    page.goto("/statistics/rounds/2025/import/")
    assert "/statistics/rounds/2025/" in page.url and "import" not in page.url
