"""The permission matrix of every core page and endpoint."""

import re

import pytest
from django.urls import reverse

from ctip.core import services
from ctip.core.codes import Role
from ctip.core.models import Job
from ctip.core.testing import ALL_ROLES, assert_access

pytestmark = pytest.mark.django_db

EVERYONE = ALL_ROLES
ADMIN = [Role.ADMINISTRATOR]


@pytest.mark.parametrize(
    "name",
    ["core:home", "core:entity_list", "core:conflict_list", "core:country_list", "core:profile"],
)
def test_pages_open_to_every_signed_in_role(actors, name):
    assert_access(actors, reverse(name), allowed=EVERYONE, other_entity_sees=True)


@pytest.mark.parametrize("name", ["core:audit_list", "core:user_list", "core:conflict_create"])
def test_administration_pages(actors, name):
    assert_access(actors, reverse(name), allowed=ADMIN, denied=[403])


def test_entity_page_shows_members_to_its_own_entity_only(actors):
    url = reverse("core:entity_detail", args=[actors.entity.code])
    assert_access(actors, url, allowed=EVERYONE)


def test_an_unknown_entity_and_a_forbidden_one_look_the_same(actors):
    from ctip.core.testing import signed_in_client

    client = signed_in_client(actors.by_role[Role.CASEWORKER])
    missing_url = reverse("core:entity_detail", args=["NOPE"])
    forbidden_url = reverse("core:entity_detail", args=[actors.other_entity.code])
    missing, forbidden = client.get(missing_url), client.get(forbidden_url)
    assert missing.status_code == forbidden.status_code == 404

    def page(response, url):  # the styled 404 page, less its own address and CSRF tokens
        text = response.content.decode().replace(url, "URL")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", text)

    assert page(missing, missing_url) == page(forbidden, forbidden_url)


def test_a_job_is_visible_only_to_whoever_started_it(actors):
    owner = actors.by_role[Role.FOCAL_POINT]
    job = Job.objects.create(owner=owner, entity=owner.entity, kind="test")
    url = reverse("core:job_detail", args=[job.id])
    assert_access(actors, url, allowed=[Role.FOCAL_POINT], denied=[404])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me",
        "/api/v1/entities",
        "/api/v1/countries",
        "/api/v1/code-lists",
        "/api/v1/code-lists/sex",
        "/api/v1/conflict-situations",
    ],
)
def test_api_reference_endpoints_need_a_token(actors, path):
    assert_access(actors, path, allowed=EVERYONE, other_entity_sees=True, api=True)


def test_api_entity_detail_is_scoped(actors):
    assert_access(actors, f"/api/v1/entities/{actors.entity.code}", allowed=EVERYONE, api=True)


def test_api_audit_events_are_for_administrators(actors):
    assert_access(actors, "/api/v1/audit-events", allowed=ADMIN, denied=[403], api=True)


def test_api_job_is_scoped_to_its_owner(actors):
    owner = actors.by_role[Role.ANALYST]
    job = Job.objects.create(owner=owner, entity=owner.entity, kind="test")
    assert_access(actors, f"/api/v1/jobs/{job.id}", allowed=[Role.ANALYST], denied=[404], api=True)


def test_a_guessed_job_id_gives_404_not_500(actors):
    from ctip.core.testing import token_client

    client = token_client(actors.by_role[Role.CASEWORKER])
    assert client.get("/api/v1/jobs/not-a-uuid").status_code == 404
    assert client.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000").status_code == 404


def test_posting_admin_forms_is_refused_to_other_roles(actors):
    from ctip.core.testing import signed_in_client

    client = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    response = client.post(
        reverse("core:entity_list"), {"code": "SNEAKY", "name": "x", "kind": "ngo"}
    )
    assert response.status_code == 403
    target = actors.by_role[Role.CASEWORKER]
    response = client.post(reverse("core:user_change", args=[target.pk]), {"role": "administrator"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == Role.CASEWORKER


def test_a_revoked_token_stops_working(actors):
    from django.test import Client

    user = actors.by_role[Role.CASEWORKER]
    token, raw = services.api_token_create(actor=user, name="script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me").status_code == 200
    services.api_token_revoke(actor=user, token=token)
    assert client.get("/api/v1/me").status_code == 401


def test_notifications_are_personal(actors):
    from ctip.core.services import notify
    from ctip.core.testing import signed_in_client

    notify([actors.by_role[Role.ANALYST]], "Round 2025 submitted", "body", "/statistics/")
    mine = signed_in_client(actors.by_role[Role.ANALYST]).get("/")
    assert "1 new notification" in mine.content.decode()
    assert_access(actors, reverse("core:notifications"), allowed=EVERYONE, other_entity_sees=True)
    theirs = signed_in_client(actors.by_role[Role.CASEWORKER]).get(reverse("core:notifications"))
    assert "Round 2025 submitted" not in theirs.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "fr", "ru", "ar", "en"])
def test_date_pickers_carry_iso_dates_in_every_language(language):
    import datetime

    from django.utils import translation

    from ctip.core.forms import DateInput

    with translation.override(language):
        html = DateInput().render("day", datetime.date(2026, 11, 29))
    assert 'type="date"' in html and 'value="2026-11-29"' in html
