"""Case work as Primero users expect it (issue 18), in English and in French: a caseworker
opens a case and sees every field entered, edits one (the timeline shows what it was), adds
a note, a follow-up and a goal of the case plan. French words may still be English where
untranslated: the French run checks the structure, not the words."""

import datetime

import pytest

from ctip.core.codes import EntityKind, Role
from ctip.core.models import ConflictSituation, Country
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from tests.browser.helpers import HOME, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "Mariam K. (synthetic)"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_open_see_edit_note_and_follow_up(page, language):
    load_reference_data()
    mission = make_entity("UNAMX", kind=EntityKind.UN_MISSION)
    mission.country = Country.objects.get(alpha3="IRQ")
    mission.save()
    make_user(mission, Role.CASEWORKER, email="worker@unamx.test")
    situation = ConflictSituation.objects.create(name="Sinjar 2014", start_date="2014-08-03")
    today = datetime.date.today()

    sign_in(page, "worker@unamx.test")
    page.wait_for_url(HOME)
    if language != "en":
        page.select_option("header select[name=language]", language)
        page.wait_for_selector(f"html[lang={language}]")

    # the caseworker opens a case with the fields the user test found missing on the page
    page.goto("/cases/new/")
    assert "_T" not in page.eval_on_selector_all(
        "main select[name=sex] option", "options => options.map(o => o.value)"
    )
    page.fill("input[name=names]", NAME)
    page.fill("input[name=date_of_birth]", "2003-05-14")
    page.select_option("main select[name=sex]", "F")
    page.select_option("main select[name=age_band]", "18--20")
    page.fill("input[name=citizenship]", "IRQ")
    page.fill("input[name=identified_on]", today.isoformat())
    page.fill("input[name=languages]", "Kurmanji")
    page.select_option("main select[name=conflict_situation]", str(situation.pk))
    page.check("input[name=forms_of_exploitation][value=SexualExploitation]")
    page.check("input[name=means_of_control][value=DebtBondage]")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector("h1:has-text('UNAMX-C')")

    # every field entered is on the page, in words (the codes' labels), never as a code
    facts = page.inner_text("[data-testid=case-facts]")
    assert "Kurmanji" in facts and "Sinjar 2014" in facts
    assert today.isoformat() in facts
    assert "SexualExploitation" not in facts and "DebtBondage" not in facts
    if language == "en":
        assert "Sexual exploitation" in facts and "Debt bondage" in facts
    assert NAME not in page.content()  # the identity only on request

    # the caseworker edits the sex: the form comes pre-filled, the timeline keeps the old one
    page.click("[data-testid=edit-case]")
    page.wait_for_selector("[data-testid=edit-form]")
    assert page.input_value("input[name=names]") == NAME
    assert page.input_value("input[name=languages]") == "Kurmanji"
    assert page.is_checked("input[name=means_of_control][value=DebtBondage]")
    page.select_option("main select[name=sex]", "M")
    page.click("[data-testid=edit-form] button[type=submit]")
    page.wait_for_selector("li[data-kind=edited] [data-testid=changed-field]")
    if language == "en":
        assert "Sex: was Female" in page.inner_text("li[data-kind=edited]")
    assert NAME not in page.content()

    # a note (encrypted) on the timeline, and a follow-up
    page.fill("[data-testid=note-form] textarea[name=text]", "Met at the reception centre.")
    page.click("[data-testid=note-form] button[type=submit]")
    page.wait_for_selector("[data-testid=note-text]:has-text('Met at the reception centre.')")
    page.fill("[data-testid=follow-up-form] input[name=due_on]", today.isoformat())
    page.fill("[data-testid=follow-up-form] input[name=what]", "Call the shelter")
    page.click("[data-testid=follow-up-form] button[type=submit]")
    page.wait_for_selector("[data-testid=follow-ups]:has-text('Call the shelter')")
    assert page.locator("li[data-kind=follow_up_set]").count() == 1

    # a goal of the case plan, then in progress
    page.fill("[data-testid=goal-form] input[name=goal]", "Safe housing")
    page.click("[data-testid=goal-form] button[type=submit]")
    page.wait_for_selector("[data-goal-status=planned]:has-text('Safe housing')")
    page.select_option("[data-goal-status=planned] select[name=goal_status]", "in_progress")
    page.click("[data-goal-status=planned] button[type=submit]")
    page.wait_for_selector("[data-goal-status=in_progress]")
    assert page.locator("li[data-kind=goal_status] [data-testid=changed-field]").count() == 1
    if language != "en":
        assert page.get_attribute("html", "lang") == language
