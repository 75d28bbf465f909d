"""Early warning end to end: screenings finding presumed victims rise in a situation, the
day's computation raises an alert, the analyst who watches it is told, reads the situation,
records an assessment with its evidence, and acknowledges the alert."""

import datetime

import pytest

from ctip.cases.models import Screening
from ctip.core import services as core
from ctip.core.codes import Role
from ctip.core.models import Country
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from ctip.warning import services
from ctip.warning.sources import first_day, month_of
from ctip.warning.tasks import enqueue_if_due
from tests.browser.helpers import HOME, set_up_two_factor, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EVIDENCE = "Journey: the mining road is held by an armed group"


def _presumed_victims(entity, back: int, n: int) -> None:
    day = first_day(month_of(datetime.date.today()) - 1 - back) + datetime.timedelta(days=9)
    Screening.objects.bulk_create(
        Screening(
            entity=entity,
            screened_on=day,
            setting="camp",
            indicator_set="ilo_forced_labour",
            outcome="presumed_victim",
            reason="journey",
        )
        for _ in range(n)
    )


def test_signals_rise_the_analyst_is_told_assesses_and_acknowledges(page):
    load_reference_data()
    caf = Country.objects.get(alpha3="CAF")
    mission = make_entity("MJOUR")
    mission.country = caf
    mission.save()
    situation = core.conflict_situation_save(
        actor=None, name="Journey conflict", countries=[caf], start_date=datetime.date(2020, 1, 1)
    )
    analyst = make_user(make_entity("CTIPJ"), Role.ANALYST, email="watch@ctipj.test")
    admin = make_user(analyst.entity, Role.ADMINISTRATOR)
    services.watch_add(actor=admin, situation=situation, user=analyst)
    for back in range(1, 13):
        _presumed_victims(mission, back, 1)
    _presumed_victims(mission, 0, 10)  # the last complete month: a rise
    assert enqueue_if_due(datetime.date.today())  # the worker's daily computation

    sign_in(page, "watch@ctipj.test")
    set_up_two_factor(page)
    page.wait_for_url(HOME)
    page.click("[data-testid=notifications]")
    page.click("text=Early warning: Journey conflict")

    raised = page.locator("[data-testid=signals] tr[data-signal='presumed_victims']")
    assert "above its range" in raised.inner_text()
    assert page.locator("tr[data-alert]").count() == 1  # the signal (too little known for a level)

    page.click("text=Record an assessment")
    page.select_option("select[name=score_4_x]", "3")
    page.click("main button[type=submit]")  # without evidence: refused, what was typed kept
    page.wait_for_selector("text=Say what the score rests on")
    assert page.locator("select[name=score_4_x]").input_value() == "3"
    page.fill("textarea[name=evidence_4_x]", EVIDENCE)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Assessment recorded.")
    assert EVIDENCE in page.inner_text("tr[data-indicator='4.x']")

    page.click("text=Back to the situation")
    first = page.locator("tr[data-alert]").first
    first.locator("textarea[name=note]").fill("Asked the field office to verify the camps.")
    first.locator("button:has-text('Acknowledge')").click()
    page.wait_for_selector("text=Alert acknowledged.")
    assert "Acknowledged by watch@ctipj.test" in page.inner_text("main")
    assert "verify the camps" in page.inner_text("[data-testid=follow-up]")
    assert EVIDENCE not in page.inner_text("main")  # evidence only on its assessment's page
