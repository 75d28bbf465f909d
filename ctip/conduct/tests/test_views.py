"""The pages: identities only in the response that asked for them, never in a session; bad
ids and parameters are a 404 or a form error, never a 500."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse

from ctip.conduct.models import Investigation
from ctip.conduct.tests.builders import RAW, SECRETS, record
from ctip.core.models import AuditEvent
from ctip.core.testing import signed_in_client

pytestmark = pytest.mark.django_db


def test_identities_are_in_the_response_and_never_in_a_session(officer):
    # given an allegation with identities, and an officer signed in
    allegation = record(officer)
    client = signed_in_client(officer)
    # when the officer asks for the identities
    answer = client.post(reverse("conduct:act", args=[allegation.pk, "identities"]))
    # then this response carries them, uncached, and the view is audited
    page = answer.content.decode()
    assert answer.status_code == 200
    assert RAW["victim_identities"] in page and "Money offered" in page and "C. D." in page
    assert "no-store" in answer["Cache-Control"]
    assert AuditEvent.objects.filter(action="conduct.identity_viewed").count() == 1
    # and no session row holds any of it, raw or decoded
    rows = list(Session.objects.all())
    assert rows
    for row in rows:
        stored = row.session_data + repr(SessionStore().decode(row.session_data))
        assert not any(secret in stored for secret in [*SECRETS, "A. B."])
    # nor the (local memory) cache
    for value in getattr(cache, "_cache", {}).values():
        assert not any(secret.encode() in value for secret in SECRETS)
    # and the next visit shows them encrypted again
    again = client.get(reverse("conduct:detail", args=[allegation.pk])).content.decode()
    assert not any(secret in again for secret in SECRETS)


def test_the_identities_of_another_entity_are_a_404_and_not_audited(actors, officer):
    from ctip.core.codes import Role

    allegation = record(officer)
    other = signed_in_client(actors.other_by_role[Role.CONDUCT_OFFICER])
    answer = other.post(reverse("conduct:act", args=[allegation.pk, "identities"]))
    assert answer.status_code == 404
    assert not AuditEvent.objects.filter(action="conduct.identity_viewed").exists()


@pytest.mark.parametrize("days", ["abc", "²", "١٢", "-3", "0", "99999999999999999999", "1e3"])
def test_a_bad_extension_is_a_form_error_not_a_500(officer, days):
    # given an ongoing investigation
    allegation = record(officer)
    client = signed_in_client(officer)
    client.post(
        reverse("conduct:act", args=[allegation.pk, "investigation"]),
        {"body": "national", "referred_on": "2026-03-10"},
    )
    # when the extension is not a number of days
    answer = client.post(
        reverse("conduct:act", args=[allegation.pk, "extend"]),
        {"days": days, "reason": "Witness abroad"},
        follow=True,
    )
    # then the page says so and nothing changed
    assert answer.status_code == 200
    assert "days: A number of days from 1 to 365." in answer.content.decode()
    assert Investigation.objects.get().extension_days == 0


@pytest.mark.parametrize(
    "field", ["victims_count", "victims_minors", "victims_female", "victims_male"]
)
def test_a_count_that_is_not_a_number_is_a_form_error(officer, field):
    answer = signed_in_client(officer).post(
        reverse("conduct:new"), {**RAW, "contingent_country": "PAK", field: "²"}
    )
    assert answer.status_code == 200
    assert "A whole number from 0 to" in answer.content.decode()


def test_non_numeric_ids_and_parameters_never_500(officer):
    allegation = record(officer)
    client = signed_in_client(officer)
    for url in ("/conduct/abc/", "/conduct/abc/step/", "/conduct/1.5/"):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert client.get("/conduct/%00/").status_code == 400  # refused before any view
    assert client.post(f"/conduct/{allegation.pk}/nonsense/").status_code == 404
    assert client.get(f"/conduct/{10**30}/").status_code == 404
    register = client.get(reverse("conduct:register"), {"status": "abc"})
    assert register.status_code == 200 and allegation.reference not in register.content.decode()
    assert client.get(reverse("conduct:register"), {"status": "abc\x00"}).status_code == 400
    step = client.post(
        reverse("conduct:act", args=[allegation.pk, "step"]), {"step": "abc"}, follow=True
    )
    assert step.status_code == 200 and "Unknown step." in step.content.decode()
    custody = client.post(
        reverse("conduct:act", args=[allegation.pk, "custody"]),
        {"item": "phone", "action": "abc", "holder": "x", "at": "abc"},
        follow=True,
    )
    assert custody.status_code == 200 and "at: A date and time" in custody.content.decode()
    for bad in ({"personnel": "abc"}, {"deployed_on": "abc"}, {"country": "abc"}):
        answer = client.post(
            reverse("conduct:certifications"),
            {"country": "PAK", "unit": "B3", "deployed_on": "2025-01-01", **bad},
        )
        assert answer.status_code == 200
    api = signed_in_client(officer)
    assert api.get("/api/v1/conduct/allegations", {"status": "abc"}).status_code == 422
