import base64
import re
import time

from django_otp.oath import totp

from ctip.core.testing import TEST_PASSWORD

HOME = re.compile(r"^http://[^/]+/$")


def sign_in(page, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def code_for(secret_text: str) -> str:
    return f"{totp(base64.b32decode(secret_text.replace(' ', ''))):06d}"


def set_up_two_factor(page) -> None:
    """On the forced set-up page: read the key as a person would, type the current code."""
    page.wait_for_url("**/accounts/otp/setup/**")
    page.fill("input[name=code]", code_for(page.get_by_test_id("totp-secret").inner_text()))
    page.click("main button[type=submit]")


def sign_out(page) -> None:
    page.click("header form[action$='logout/'] button")
    page.wait_for_url("**/accounts/login/")


def verify_two_factor(page, user) -> None:
    """On the code page: type the current code of the user's authenticator (its key is known)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.wait_for_url("**/accounts/otp/**")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    # A code is accepted once (replay protection): wait for the next one if it was used.
    while int(time.time()) // device.step <= device.last_t:
        time.sleep(0.5)
    page.fill("input[name=code]", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
