import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctip.core.audit import AuditAction
from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import TEST_PASSWORD, make_entity, make_user, signed_in_client

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client: Client, email: str, password: str = TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_caseworker_signs_in_and_the_login_is_audited():
    user = make_user(make_entity(), Role.CASEWORKER)
    client = Client()
    response = sign_in(client, user.email.upper())
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user).exists()


def test_wrong_password_is_audited_and_generic():
    user = make_user(make_entity())
    response = sign_in(Client(), user.email, "wrong-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, actor_label=user.email
    ).exists()


def test_lockout_after_repeated_failures_even_with_the_right_password(settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user(make_entity())
    client = Client()
    for attempt in range(3):
        email = user.email.upper() if attempt % 2 else user.email  # case does not reset the count
        sign_in(client, email, "wrong-password")
    response = sign_in(client, user.email)  # the right password, too late
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()


def test_analyst_must_set_up_two_factor_before_anything_else():
    analyst = make_user(make_entity(), Role.ANALYST)
    client = Client()
    response = sign_in(client, analyst.email)
    assert response["Location"].startswith(reverse("core:otp_setup"))
    assert client.get("/entities/")["Location"].startswith(reverse("core:otp_setup"))
    assert client.get("/api/v1/me").status_code == 401
    # when the analyst scans the key and types the code
    page = client.get(reverse("core:otp_setup"))
    assert page.status_code == 200 and b"data:image/svg+xml" in page.content
    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    response = client.post(reverse("core:otp_setup"), {"code": current_code(device), "next": "/"})
    # then
    assert response.status_code == 302
    assert client.get("/entities/").status_code == 200
    assert TOTPDevice.objects.get(user=analyst).confirmed
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENABLED, actor=analyst).exists()


def test_a_user_with_a_device_is_asked_for_the_code_and_a_wrong_one_is_refused():
    user = make_user(make_entity(), Role.CASEWORKER)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    response = sign_in(client, user.email)
    assert response["Location"].startswith(reverse("core:otp_verify"))
    assert client.get("/")["Location"].startswith(reverse("core:otp_verify"))
    wrong = client.post(reverse("core:otp_verify"), {"code": "000000"})
    assert wrong.status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_FAILED, actor=user).exists()
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    right = client.post(reverse("core:otp_verify"), {"code": current_code(device), "next": "/"})
    assert right.status_code == 302
    assert client.get("/").status_code == 200


def test_sign_out_needs_post_and_ends_the_session():
    user = make_user(make_entity())
    client = signed_in_client(user)
    assert client.get(reverse("core:logout")).status_code == 405
    client.post(reverse("core:logout"))
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=user).exists()


def test_csrf_is_enforced_on_sign_in():
    user = make_user(make_entity())
    response = sign_in(Client(enforce_csrf_checks=True), user.email)
    assert response.status_code == 403


def test_open_redirects_are_refused():
    user = make_user(make_entity())
    response = Client().post(
        LOGIN, {"username": user.email, "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_security_headers_on_every_page():
    response = Client().get(LOGIN)
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_expires_when_idle_and_cookies_are_http_only(settings):
    from ctip import settings as ctip_settings

    assert ctip_settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert ctip_settings.SESSION_COOKIE_HTTPONLY
    assert ctip_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    client = signed_in_client(make_user(make_entity()))
    client.get("/")
    assert client.session.get_expiry_age() <= 8 * 3600


def test_a_session_is_pushed_back_once_a_minute_not_written_on_every_page(monkeypatch):
    from django.contrib.sessions.models import Session

    from ctip.core import middleware

    now = [1_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: now[0])
    client = signed_in_client(make_user(make_entity()))

    def expires():
        return Session.objects.get(session_key=client.session.session_key).expire_date

    client.get("/")
    first = expires()
    client.get("/")  # within the minute: not written
    assert expires() == first
    now[0] += 61
    client.get("/")  # a minute later: written, so its idle expiry moves on
    assert expires() > first


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user(make_entity())
    assert user.password.startswith("argon2$argon2id$")


def _start_settings(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; "
            "django.setup(); print(settings.SESSION_COOKIE_SECURE)",
        ],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "ctip.settings", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_production_refuses_the_default_secret_and_keys(tmp_path):
    refused = _start_settings({"CTIP_ENV": "production", "CTIP_DATA_DIR": str(tmp_path)})
    assert refused.returncode != 0 and "CTIP_SECRET_KEY" in refused.stderr
    no_keys = _start_settings(
        {"CTIP_ENV": "production", "CTIP_DATA_DIR": str(tmp_path), "CTIP_SECRET_KEY": "x" * 64}
    )
    assert no_keys.returncode != 0 and "CTIP_KEY_FILE" in no_keys.stderr
    from ctip.keyfile import new_keyring, write_keyring

    write_keyring(new_keyring(), tmp_path / "keys.json")
    started = _start_settings(
        {
            "CTIP_ENV": "production",
            "CTIP_DATA_DIR": str(tmp_path),
            "CTIP_SECRET_KEY": "x" * 64,
            "CTIP_KEY_FILE": str(tmp_path / "keys.json"),
        }
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "True"  # secure cookies in production


def test_sign_in_page_speaks_the_browser_language():
    chinese = Client().get(LOGIN, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登录" in chinese and 'lang="zh-hans"' in chinese
    arabic = Client().get(LOGIN, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in arabic and "تسجيل الدخول" in arabic
    assert 'dir="ltr"' in Client().get(LOGIN, HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_language_switch_is_remembered_for_the_user():
    user = make_user(make_entity())
    client = signed_in_client(user)
    client.post(reverse("core:set_language"), {"language": "zh-hans", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"
    assert "欢迎" in client.get("/").content.decode()
    # and a later sign-in from another browser comes back in Chinese
    other = Client()
    response = sign_in(other, user.email)
    assert response.cookies["django_language"].value == "zh-hans"
    assert "双因素验证码" in other.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/statistics/rounds/2025/?country=%00", None),
        ("get", "/public/caselaw/?q=a%00b", None),
        ("get", "/public/countries/IR%00Q/", None),
        ("post", "/public/tips/", {"what": "a\x00b"}),
        ("post", "/accounts/login/", {"username": "x\x00@y", "password": "z"}),
    ],
)
def test_a_nul_character_anywhere_is_a_clear_400_never_a_500(method, path, data):
    client = Client()
    response = getattr(client, method)(path, data or {})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert not AuditEvent.objects.exists()  # nothing reached a view, not even a failed sign-in


def test_a_form_posted_to_a_json_endpoint_is_the_api_s_400_not_a_500(actors):
    # the NUL check must not read a multipart body the API still has to parse
    from ctip.core.testing import token_client

    client = token_client(actors.by_role[Role.LEGAL_OFFICER])
    response = client.post("/api/v1/countries/national-response", {"rows": "x"})
    assert response.status_code in (400, 422)
