"""The register, the detail page, the patterns, the exports and the API lists never load or
decrypt an identity; selectors answer 404 alike for missing and for another entity's."""

import pytest
from django.http import Http404
from django.urls import reverse

from ctip.conduct import selectors, services
from ctip.conduct.tests.builders import record
from ctip.core import crypto
from ctip.core.codes import Role
from ctip.core.testing import signed_in_client, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def conduct_decrypts(monkeypatch):
    """Count the decryptions of conduct columns (other apps' fields, e.g. a user's, aside)."""
    calls: list[str] = []
    real = crypto.decrypt

    def counting(stored, *, context, ring=None):
        if context.startswith("conduct."):
            calls.append(context)
        return real(stored, context=context, ring=ring)

    monkeypatch.setattr(crypto, "decrypt", counting)
    return calls


def test_pages_exports_and_api_never_decrypt_an_identity(officer, conduct_decrypts):
    # given allegations with identities, one with an investigation and custody
    allegation = record(officer)
    record(officer, unit="Engineers")
    services.investigation_save(
        actor=officer,
        allegation=allegation,
        raw={"body": "national", "referred_on": "2026-03-10"},
    )
    services.custody_log(
        actor=officer,
        allegation=allegation,
        raw={"item": "phone", "action": "collected", "holder": "MP", "at": "2026-03-05T10:00"},
    )
    client, api = signed_in_client(officer), token_client(officer)
    # when every identity-free view is loaded
    urls = [
        reverse("conduct:register"),
        reverse("conduct:detail", args=[allegation.pk]),
        reverse("conduct:patterns"),
        reverse("conduct:certifications"),
        reverse("conduct:export", args=["csv"]),
        reverse("conduct:export", args=["xlsx"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert api.get("/api/v1/conduct/allegations").status_code == 200
    list(selectors.allegations_for(officer))
    # then nothing of the conduct app was decrypted
    assert conduct_decrypts == []
    # while the audited read does decrypt (the counter works)
    client.post(reverse("conduct:act", args=[allegation.pk, "identities"]))
    assert sorted(set(conduct_decrypts)) == [
        "conduct.allegationidentity.account",
        "conduct.allegationidentity.subject_identity",
        "conduct.allegationidentity.victim_identities",
    ]


def test_missing_and_forbidden_are_the_same_404(actors, officer):
    allegation = record(officer)
    elsewhere = actors.other_by_role[Role.CONDUCT_OFFICER]
    for pk in (allegation.pk, allegation.pk + 1000, "1", None):
        with pytest.raises(Http404) as missing:
            selectors.allegation_get(elsewhere, pk)
        assert str(missing.value) == "not found"
    assert selectors.allegation_get(officer, allegation.pk) == allegation


def test_a_system_wide_officer_sees_every_entity(actors, officer, settings):
    allegation = record(officer)
    settings.CTIP_OPERATOR_ENTITY = actors.other_entity.code
    central = actors.other_by_role[Role.CONDUCT_OFFICER]
    assert selectors.allegation_get(central, allegation.pk) == allegation
    assert selectors.investigation_of(user=central, allegation=allegation) is None
