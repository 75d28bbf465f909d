"""Files and approvals on a case (issue 18), in English and in French: a caseworker attaches
a scanned PDF (a program renamed .pdf is refused), downloads it back, and asks for the
case's closure; a focal point finds the request on the home page, opens the case from the
filtered list and approves it, which closes the case. French words may still be English
where untranslated: the French run checks the structure, not the words."""

import pytest

from ctip.cases import services
from ctip.cases.models import Case, CaseAttachment
from ctip.core.codes import EntityKind, Role
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from tests.browser.helpers import HOME, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n(synthetic) scanned identity document\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def _in(page, language: str) -> None:
    if language != "en":
        page.select_option("header select[name=language]", language)
        page.wait_for_selector(f"html[lang={language}]")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_attach_a_pdf_ask_for_closure_and_a_focal_point_approves(page, language):
    load_reference_data()
    mission = make_entity("UNAMF", kind=EntityKind.UN_MISSION)
    worker = make_user(mission, Role.CASEWORKER, email="worker@unamf.test")
    make_user(mission, Role.FOCAL_POINT, email="focal@unamf.test")
    case = services.case_open(
        actor=worker,
        raw={"names": "Nadia R. (synthetic)", "sex": "F", "age_band": "18--20"},
    ).case

    # the caseworker attaches a scanned document to the case
    sign_in(page, "worker@unamf.test")
    page.wait_for_url(HOME)
    _in(page, language)
    page.goto(f"/cases/{case.pk}/")
    form = "[data-testid=attachment-form]"
    page.set_input_files(
        f"{form} input[name=file]",
        files=[{"name": "passport scan.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.fill(f"{form} input[name=description]", "Passport, first page")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("[data-testid=attachment][data-content-type='application/pdf']")
    row = page.inner_text("[data-testid=attachment]")
    assert "passport scan.pdf" in row and "Passport, first page" in row

    # a program renamed .pdf is refused, with a message, and nothing is added
    page.set_input_files(
        f"{form} input[name=file]",
        files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": EXE}],
    )
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("ul.messages li.error")
    assert page.locator("[data-testid=attachment]").count() == 1
    assert CaseAttachment.objects.count() == 1

    # the file comes back as it went in, as a download
    with page.expect_download() as downloaded:
        page.click("[data-testid=attachment] [data-testid=download]")
    assert downloaded.value.suggested_filename == "passport scan.pdf"
    with open(downloaded.value.path(), "rb") as saved:
        assert saved.read() == PDF

    # the caseworker cannot close the case: they ask a focal point
    assert "closed" not in page.eval_on_selector_all(
        "[data-testid=status-form] select[name=status] option",
        "options => options.map(o => o.value)",
    )
    page.select_option("[data-testid=closure-form] select[name=closing_status]", "closed")
    page.click("[data-testid=closure-form] button[type=submit]")
    page.wait_for_selector("[data-approval-kind=closure][data-approval-state=pending]")
    assert page.locator("li[data-kind=closure_requested]").count() == 1
    assert page.locator("[data-testid=decide-form]").count() == 0
    sign_out(page)

    # the focal point finds the request on the home page and approves it
    sign_in(page, "focal@unamf.test")
    page.wait_for_url(HOME)
    _in(page, language)
    page.click("[data-testid=due] a[href*='approval=pending']")
    page.wait_for_selector(f"tr[data-reference='{case.reference}'] [data-testid=approval-pending]")
    page.click(f"tr[data-reference='{case.reference}'] a")
    page.wait_for_selector("[data-testid=attachment][data-content-type='application/pdf']")
    page.click("[data-testid=decide-form] button[data-decision=approve]")
    page.wait_for_selector("[data-approval-kind=closure][data-approval-state=approved]")
    assert page.locator("li[data-kind=closure_approved]").count() == 1
    assert Case.objects.get(pk=case.pk).status == "closed"
    if language == "en":
        assert page.inner_text("[data-testid=case-status]") == "Closed"
    else:
        assert page.get_attribute("html", "lang") == language
