"""Phones and slow links: the pages a focal point and the public use every day fit a
360 px wide screen without sideways scrolling (wide tables scroll inside their own box), and
each weighs under 200 KB with everything it loads."""

import contextlib
import datetime

import pytest
from playwright.sync_api import Error as PlaywrightError

from ctip.cases.tests.builders import a_case
from ctip.core.codes import Role
from ctip.core.reference import load_reference_data
from ctip.core.testing import Actors, make_entity, make_user
from ctip.statistics.services import (
    round_open,
    round_publish,
    submission_submit,
    submission_validate,
)
from ctip.statistics.tests.builders import a_draft
from tests.browser.helpers import HOME, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360
MAX_BYTES = 200 * 1024
PUBLIC = [
    "/public/statistics/",
    "/public/statistics/2024/",
    "/public/caselaw/",
    "/public/countries/",
    "/public/conduct/",
    "/public/incidents/",
    "/public/early-warning/",
    "/public/funds/",
    "/public/tips/",
    "/accounts/login/",
]


def _weigh(page, path: str) -> tuple[int, int]:
    """The page's width as laid out, and the bytes of the page and all it loaded."""
    sizes: list[int] = []

    def count(response) -> None:
        with contextlib.suppress(PlaywrightError):  # a redirect has no body
            sizes.append(len(response.body()))

    page.on("response", count)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", count)
    return page.evaluate("document.documentElement.scrollWidth"), sum(sizes)


def _too_wide(page) -> list[str]:
    """The outermost elements that stick out to the right of the screen."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 1)
        .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1)
        .slice(0, 3)
        .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                  + (e.name ? '[' + e.name + ']' : ''))""",
        WIDTH,
    )


def _check(page, paths: list[str]) -> list[str]:
    problems = []
    for path in paths:
        width, weight = _weigh(page, path)
        if width > WIDTH:
            problems.append(f"{path}: {width} px wide, because of {_too_wide(page)}")
        if weight > MAX_BYTES:
            problems.append(f"{path}: {weight:,} bytes")
    return problems


def test_the_main_pages_fit_a_phone(browser, live_server):
    load_reference_data()
    entity, other = make_entity("MINUSCA"), make_entity("OTHER")
    focal = make_user(entity, Role.FOCAL_POINT, email="focal@small.test")
    by_role = {Role.FOCAL_POINT: focal, Role.CASEWORKER: make_user(entity, Role.CASEWORKER)}
    actors = Actors(entity=entity, other_entity=other, by_role=by_role, other_by_role={})
    round_ = round_open(actor=None, year=2025, deadline=datetime.date(2026, 6, 30))
    draft = a_draft(actors, round_)
    # a published round, with its world map: the heaviest public page
    analyst = make_user(other, Role.ANALYST)
    published = a_draft(
        actors, round_open(actor=None, year=2024, deadline=datetime.date(2025, 6, 30))
    )
    submission_submit(actor=focal, submission=published)
    submission_validate(actor=analyst, submission=published)
    round_publish(actor=analyst, round_=published.round)
    a_case(focal)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDTH, "height": 740}, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = _check(page, PUBLIC)
    sign_in(page, "focal@small.test")
    page.wait_for_url(HOME)
    problems += _check(
        page,
        [
            "/",
            "/statistics/",
            "/statistics/rounds/2025/",
            f"/statistics/submissions/{draft.pk}/",
            f"/statistics/submissions/{draft.pk}/records/",
            "/statistics/rounds/2025/import/",
            "/cases/",
            "/cases/new/",
            "/accounts/profile/",
        ],
    )
    context.close()
    assert not problems, problems
