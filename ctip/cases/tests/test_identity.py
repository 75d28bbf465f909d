"""The identity of a person in a case: shown only in the response to the audited read."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse

from ctip.cases.tests.builders import CASE, a_case
from ctip.core.codes import Role
from ctip.core.testing import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


def test_the_identity_is_in_the_response_and_never_in_a_session(actors):
    # given a case and its caseworker, signed in
    worker = actors.by_role[Role.CASEWORKER]
    case = a_case(worker)
    client = signed_in_client(worker)
    # when the caseworker asks for the identity, then opens the page again
    answer = client.post(reverse("cases:act", args=[case.pk, "identity"]))
    again = client.get(reverse("cases:detail", args=[case.pk]))
    # then the answer itself shows it, uncached, and no session row holds it
    assert answer.status_code == 200 and CASE["names"] in answer.content.decode()
    assert "no-store" in answer["Cache-Control"]
    assert CASE["names"] not in again.content.decode()
    rows = list(Session.objects.all())
    assert rows
    for row in rows:
        decoded = str(SessionStore().decode(row.session_data))
        for secret in (CASE["names"], CASE["date_of_birth"], "Kano"):
            assert secret not in decoded and secret not in row.session_data
