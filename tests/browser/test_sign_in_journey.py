"""The foundation's main user journeys, in a real browser."""

import pytest

from ctip.core.codes import Role
from ctip.core.testing import make_entity, make_user
from tests.browser.helpers import HOME, set_up_two_factor, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_sets_up_two_factor_switches_language_and_signs_out(page):
    # given an analyst account, who must use a second factor
    entity = make_entity("UNAMI")
    analyst = make_user(entity, Role.ANALYST, email="analyst@unami.test")
    # when the analyst signs in, the set-up page comes first
    sign_in(page, analyst.email)
    page.wait_for_url("**/accounts/otp/setup/**")
    assert page.locator("img[alt*='QR']").is_visible()
    set_up_two_factor(page)
    # then the home page shows real figures
    page.wait_for_url(HOME)
    assert "Welcome, " in page.locator("h1").inner_text()
    assert page.locator(".figures li").count() >= 5
    # when switching to Chinese, then the page is in Chinese
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    assert "欢迎" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # when switching to Arabic, then the layout is right-to-left
    with page.expect_navigation():
        page.select_option("#language-select", "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    # when signing out, then protected pages send back to sign-in
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.click("header form[action$='logout/'] button")
    page.wait_for_url("**/accounts/login/")
    page.goto("/entities/")
    assert "/accounts/login/" in page.url


def test_repeated_failures_lock_the_account(page, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user(make_entity(), Role.CASEWORKER, email="caseworker@ngo.test")
    for _ in range(3):
        sign_in(page, user.email, "not-the-password")
    sign_in(page, user.email)
    assert "Account locked" in page.locator("h1").inner_text()


def test_caseworker_cannot_open_the_audit_log_and_sees_own_entity_only(page):
    entity, other = make_entity("MINUSCA"), make_entity("UNHCR")
    user = make_user(entity, Role.CASEWORKER, email="cw@minusca.test")
    make_user(other, Role.FOCAL_POINT, email="secret.person@unhcr.test")
    sign_in(page, user.email)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert "Audit log" not in page.locator("nav").inner_text()
    assert page.goto("/audit/").status == 403
    assert page.goto("/entities/UNHCR/").status == 404
    assert "secret.person" not in page.content()
    page.goto("/entities/MINUSCA/")
    assert "cw@minusca.test" in page.content()
