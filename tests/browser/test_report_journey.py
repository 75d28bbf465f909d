"""The annual report end to end: an analyst writes the victims section in French, an
administrator approves it, the analyst builds the report in Arabic and in French as PDF and
DOCX from the published round, and the figures in the files are the public page's."""

import re

import pytest

from ctip.core.codes import Role
from ctip.core.testing import make_entity, make_user
from ctip.reports.tests.conftest import docx_text, pdf_text
from ctip.statistics import selectors
from tests.browser.helpers import HOME, set_up_two_factor, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def published_release():
    """The reports tests' release: 15 victims detected in Iraq in 2025, the men hidden."""
    from ctip.core.reference import load_reference_data
    from ctip.reports.tests.conftest import a_published_release

    load_reference_data()
    return a_published_release()


def build(page, language: str, output: str) -> bytes:
    page.goto("/reports/2025/")
    page.select_option("main select[name=language]", language)
    page.select_option("main select[name=output]", output)
    page.click("[data-testid=build-report]")
    page.wait_for_selector("[data-testid=job-status]:has-text('Done')")
    with page.expect_download() as downloaded:
        page.click("#job-progress a.button")
    assert downloaded.value.suggested_filename == f"ctip-annual-report-2025-{language}.{output}"
    with open(downloaded.value.path(), "rb") as saved:
        return saved.read()


def test_analyst_writes_reviewer_approves_and_the_report_is_built_in_arabic_and_french(page):
    release = published_release()
    office = make_entity("UNODC")
    make_user(office, Role.ANALYST, email="writer@ctip.test")
    make_user(office, Role.ADMINISTRATOR, email="reviewer@ctip.test")

    # the figure the public page shows
    page.goto("/public/statistics/2025/")
    world = next(
        c.shown.text
        for c in selectors.release_cells(release)
        if (c.area, c.sex, c.age, c.dimension) == ("001", "_T", "_T", "Total")
        and c.indicator == "Detected trafficking victims"
    )
    assert world == "15" and page.locator(f"td:has-text('{world}')").count() >= 1

    # the analyst writes the victims section in French, with a figure by its name
    sign_in(page, "writer@ctip.test")
    set_up_two_factor(page)
    page.wait_for_url(HOME)
    page.click("nav >> text=Annual report")
    page.click("text=Report for 2025")
    page.click("[data-testid=text-victims-fr]")
    page.fill("textarea[name=text]", "En {year}, {victims_detected} victimes ont été détectées.")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector("text=Saved as version 1")
    assert page.locator("[data-testid=approve]").count() == 0
    sign_out(page)

    # the administrator approves it
    sign_in(page, "reviewer@ctip.test")
    set_up_two_factor(page)
    page.wait_for_url(HOME)
    page.goto("/reports/2025/victims/fr/")
    page.click("[data-testid=approve]")
    page.wait_for_selector("ul.messages >> text=Approved")
    sign_out(page)

    # the analyst builds the report in French and in Arabic, PDF and DOCX
    sign_in(page, "writer@ctip.test")
    from ctip.core.models import User
    from tests.browser.helpers import verify_two_factor

    verify_two_factor(page, User.objects.get(email="writer@ctip.test"))
    page.wait_for_url(HOME)
    french_pdf = pdf_text(build(page, "fr", "pdf"))
    french_docx = docx_text(build(page, "fr", "docx"))
    arabic_pdf = pdf_text(build(page, "ar", "pdf"))
    arabic_docx = docx_text(build(page, "ar", "docx"))
    # then: the approved French text with the public figure in both French files
    assert re.search(rf"En 2025\d*, {world}\d* victimes", french_pdf), french_pdf[:400]
    assert re.search(rf"En 2025\d*, {world}\d* victimes", french_docx), french_docx[:400]
    # and the public figure in the tables of every file (no Arabic text was approved)
    for text in (french_pdf, french_docx, arabic_pdf, arabic_docx):
        assert world in text and "GLOTIP" in text
