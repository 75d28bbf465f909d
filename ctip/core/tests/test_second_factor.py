"""The second factor cannot be skipped with the password alone (issue 11, item 1)."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctip.core import services
from ctip.core.audit import AuditAction
from ctip.core.codes import Role
from ctip.core.models import ApiToken, AuditEvent
from ctip.core.testing import (
    TEST_PASSWORD,
    confirmed_device,
    make_entity,
    make_user,
    signed_in_client,
    token_client,
)
from ctip.core.tests.test_auth import current_code, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled_analyst():
    user = make_user(make_entity(), Role.ANALYST)
    confirmed_device(user)
    return user


def password_only_session(user) -> Client:
    client = Client()
    response = sign_in(client, user.email)
    assert response.status_code == 302 and "/accounts/otp/" in response["Location"]
    return client


def test_enrolling_again_with_the_password_alone_is_refused(enrolled_analyst):
    # given a session that has only passed the password
    client = password_only_session(enrolled_analyst)
    device = TOTPDevice.objects.get(user=enrolled_analyst, confirmed=True)
    # when it asks for the set-up page, and posts a code of a device of its own making
    page = client.get("/accounts/otp/setup/")
    rogue = TOTPDevice.objects.create(user=enrolled_analyst, name="rogue", confirmed=False)
    posted = client.post("/accounts/otp/setup/", {"code": current_code(rogue)})
    # then it is sent to the code page, the real authenticator stays, nothing is verified
    assert page.status_code == 302 and page["Location"].startswith("/accounts/otp/?")
    assert posted.status_code == 302 and posted["Location"].startswith("/accounts/otp/?")
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_enrolling_again_after_the_second_factor_replaces_the_device(enrolled_analyst):
    client = signed_in_client(enrolled_analyst)
    old = TOTPDevice.objects.get(user=enrolled_analyst, confirmed=True)
    assert client.get("/accounts/otp/setup/").status_code == 200
    new = TOTPDevice.objects.get(user=enrolled_analyst, confirmed=False)
    response = client.post("/accounts/otp/setup/", {"code": current_code(new)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    event = AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENABLED).latest("sequence")
    assert event.details == {"replaced_devices": 1}


@pytest.mark.parametrize("header", ["Bearer x", "Bearer ", "Basic eDp5", "Token abc", "x"])
def test_a_bad_authorization_header_never_falls_back_to_the_session(enrolled_analyst, header):
    client = password_only_session(enrolled_analyst)
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=header).status_code == 401
    # even a session past its second factor is not used when a bad token is sent
    verified = signed_in_client(enrolled_analyst)
    assert verified.get("/api/v1/me").status_code == 200
    assert verified.get("/api/v1/me", HTTP_AUTHORIZATION=header).status_code == 401


def test_tokens_are_minted_only_past_the_second_factor(enrolled_analyst):
    client = password_only_session(enrolled_analyst)
    response = client.post("/accounts/profile/", {"create_token": "1", "name": "script"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/?")
    assert not ApiToken.objects.filter(user=enrolled_analyst).exists()
    with pytest.raises(services.PermissionDenied):
        services.api_token_create(actor=enrolled_analyst, name="script")
    assert not ApiToken.objects.filter(user=enrolled_analyst).exists()


def test_a_user_without_a_second_factor_mints_tokens_that_work():
    caseworker = make_user(make_entity(), Role.CASEWORKER)
    client = Client()
    sign_in(client, caseworker.email)
    response = client.post("/accounts/profile/", {"create_token": "1", "name": "script"})
    assert response.status_code == 200 and "ctip_" in response.content.decode()
    assert token_client(caseworker).get("/api/v1/me").status_code == 200


@pytest.mark.parametrize(
    "path", ["/accounts/profile/", "/notifications/", "/audit/", "/cases/", "/statistics/"]
)
def test_no_page_before_the_second_factor(enrolled_analyst, path):
    client = password_only_session(enrolled_analyst)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/?")


def test_an_administrator_resets_a_lost_authenticator_audited(enrolled_analyst):
    admin = make_user(enrolled_analyst.entity, Role.ADMINISTRATOR)
    client = signed_in_client(admin)
    response = client.post(
        f"/users/{enrolled_analyst.pk}/", {"reset_two_factor": "1", "role": Role.ANALYST}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled_analyst).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.TWO_FACTOR_RESET, object_id=str(enrolled_analyst.pk)
    ).exists()
    # the analyst is then sent to set up a new one, and gets nothing before it
    fresh = Client()
    assert "/accounts/otp/setup/" in sign_in(fresh, enrolled_analyst.email)["Location"]
    assert fresh.get("/").status_code == 302


def test_only_an_administrator_may_reset(enrolled_analyst):
    other = make_user(enrolled_analyst.entity, Role.FOCAL_POINT)
    with pytest.raises(services.PermissionDenied):
        services.totp_reset(actor=other, user=enrolled_analyst)
    assert TOTPDevice.objects.filter(user=enrolled_analyst).exists()
    assert TEST_PASSWORD  # the fixtures' password signs in (used above)
