"""GLOTIP reporting end to end: import with errors, fix, submit, return, validate, publish."""

from datetime import date

import pytest

from ctip.core.codes import Role
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from ctip.statistics.layouts import CTIP_COLUMNS
from ctip.statistics.services import round_open
from tests.browser.helpers import HOME, set_up_two_factor, sign_in, sign_out, verify_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def records_csv(rows: list[dict]) -> bytes:
    lines = [",".join(CTIP_COLUMNS)]
    lines += [",".join(str(r.get(c, "")) for c in CTIP_COLUMNS) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def upload(page, year: int, data: bytes, dry_run: bool = False) -> None:
    page.goto(f"/statistics/rounds/{year}/import/")
    page.set_input_files(
        "input[name=file]", files=[{"name": "records.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.click("main button[type=submit]")  # the file is checked first
    page.wait_for_selector("[data-testid=import-outcome]")
    if not dry_run and page.get_by_test_id("import-now").count():
        page.get_by_test_id("import-now").click()  # then imported, without a new upload
        page.wait_for_selector("[data-testid=import-outcome]:has-text('Imported')")


def test_focal_point_to_analyst_to_public(page):
    # given a round, a mission's focal point and an analyst of the central team
    load_reference_data()
    round_open(actor=None, year=2025, deadline=date(2026, 6, 30))
    mission = make_entity("MINUSCA")
    focal = make_user(mission, Role.FOCAL_POINT, email="focal@minusca.test")
    analyst = make_user(make_entity("CTIP"), Role.ANALYST, email="analyst@ctip.test")
    row = {"year_of_identification": 2025, "country_of_detection": "CAF", "citizenship": "CAF"}
    rows = [{**row, "sex": "F"}] * 9 + [{**row, "sex": "M"}] * 2

    # when the focal point imports a file with a wrong year, the row is named and nothing saved
    sign_in(page, focal.email)
    page.wait_for_url(HOME)
    upload(page, 2025, records_csv([*rows, {**row, "year_of_identification": 2024}]))
    outcome = page.get_by_test_id("import-outcome").inner_text()
    assert "1 errors in 1 of 12 rows" in outcome
    assert page.locator("table td", has_text="year_of_identification").count() == 1
    # when the corrected file is imported
    upload(page, 2025, records_csv(rows))
    assert "Imported 11 rows" in page.get_by_test_id("import-outcome").inner_text()
    # then the focal point submits the submission
    page.goto("/statistics/rounds/2025/")
    page.click("td a:has-text('Central African Republic')")
    page.click("button:has-text('Submit for validation')")
    assert page.get_by_test_id("submission-status").inner_text() == "Submitted"
    submission_url = page.url
    sign_out(page)

    # the analyst signs in with a second factor, returns it with a comment
    sign_in(page, analyst.email)
    set_up_two_factor(page)
    page.goto(submission_url)
    page.fill("textarea[name=comment]", "Please confirm the number of men.")
    page.click("button:has-text('Return for correction')")
    assert page.get_by_test_id("submission-status").inner_text() == "Returned for correction"
    sign_out(page)

    # the focal point sees the comment on the timeline and submits again
    sign_in(page, focal.email)
    page.wait_for_url(HOME)
    page.goto(submission_url)
    assert "Please confirm the number of men." in page.locator(".timeline").inner_text()
    page.click("button:has-text('Submit for validation')")
    sign_out(page)

    # the analyst validates and publishes
    sign_in(page, analyst.email)
    verify_two_factor(page, analyst)
    page.goto(submission_url)
    page.click("button:has-text('Validate')")
    assert page.get_by_test_id("submission-status").inner_text() == "Validated"
    page.goto("/statistics/rounds/2025/")
    page.click("button:has-text('Preview the release')")
    page.get_by_test_id("publish-confirm").click()
    assert "Published version 1" in page.locator(".messages").inner_text()
    sign_out(page)

    # an anonymous visitor sees the public table, with the two men hidden as <5
    page.goto("/public/statistics/2025/")
    table = page.locator("table").first.inner_text()
    assert "Central African Republic" in table
    assert "<5" in table and "11" in table
