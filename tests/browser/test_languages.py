"""The main pages in each of the UN languages, read in the browser: no English phrase of the
interface is left on them, and Arabic is laid out right to left."""

import gettext
from pathlib import Path

import pytest

from ctip.core.codes import Role
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from tests.browser.helpers import HOME, set_up_two_factor, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LOCALE = Path(__file__).resolve().parents[2] / "ctip" / "locale"
PUBLIC = [
    "/",
    "/public/statistics/",
    "/public/statistics/2025/",
    "/public/caselaw/",
    "/public/countries/",
    "/public/treaties/",
    "/public/incidents/",
    "/public/surveys/",
    "/public/early-warning/",
    "/public/funds/",
    "/accounts/login/",
]
SIGNED_IN = ["/", "/statistics/rounds/", "/reports/", "/reports/2025/", "/accounts/profile/"]


def english_phrases(folder: str) -> set[str]:
    """The interface's English phrases that this language translates differently: three
    words or more, without placeholders (a page shows them filled in)."""
    with open(LOCALE / folder / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    found = set()
    for msgid, msgstr in catalog.items():
        if not isinstance(msgid, str) or not msgid or "%" in msgid or "{" in msgid:
            continue
        if len(msgid.split()) >= 3 and msgstr and msgstr != msgid and "<" not in msgid:
            found.add(msgid)
    return found


def untranslated(page, phrases: set[str]) -> list[str]:
    text = " ".join(page.inner_text("body").split())
    return sorted(p for p in phrases if " ".join(p.split()) in text)


@pytest.mark.parametrize(
    ("language", "folder"),
    [("ar", "ar"), ("fr", "fr"), ("es", "es"), ("ru", "ru"), ("zh-hans", "zh_Hans")],
)
def test_the_main_pages_speak_the_language(page, live_server, language, folder):
    from ctip.reports.tests.conftest import a_published_release

    load_reference_data()
    a_published_release()
    make_user(make_entity("UNODC"), Role.ANALYST, email="reader@unodc.test")
    phrases = english_phrases(folder)
    page.goto("/public/statistics/2025/")  # in English: the check sees English when it is there
    assert len(untranslated(page, phrases)) >= 3
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    left: dict[str, list[str]] = {}
    for url in PUBLIC:
        page.goto(url)
        assert page.get_attribute("html", "lang") == language
        assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
        if found := untranslated(page, phrases):
            left[url] = found
    sign_in(page, "reader@unodc.test")
    set_up_two_factor(page)
    page.wait_for_url(HOME)
    for url in SIGNED_IN:
        page.goto(url)
        if found := untranslated(page, phrases):
            left[f"signed in {url}"] = found
    assert left == {}, f"English left on the {language} pages: {left}"
