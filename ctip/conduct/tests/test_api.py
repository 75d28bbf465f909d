"""The API's bodies are typed schemas: a client learns every field from the OpenAPI document,
and a hostile body gets a 4xx naming the field, never a 500, and writes nothing."""

import json

import pytest

from ctip.conduct.models import Allegation, AllegationIdentity
from ctip.conduct.tests.builders import RAW, SECRETS
from ctip.core.models import AuditEvent
from ctip.core.testing import token_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/conduct/allegations"
GOOD = {**RAW, "contingent_country": "PAK"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"victims_count": {"a": 1}}, "victims_count"),
        ({"victims_count": -1}, "victims_count"),
        ({"victims_minors": "²"}, "victims_minors"),
        ({"victims_male": 10**40}, "victims_male"),
        ({"account": "x" * 20_001}, "account"),
        ({"unit": "u" * 121}, "unit"),
        ({"unit": "a\x00b"}, "unit"),
        ({"subject_identifier": "p" * 201}, "subject_identifier"),
        ({"victim_identities": ["A. B."]}, "victim_identities"),
        ({"channel": "carrier pigeon"}, "channel"),
        ({"category": None}, "category"),
        ({"personnel_category": "general"}, "personnel_category"),
        ({"contingent_country": "ZZZ"}, "contingent_country"),  # the right shape, unknown
        ({"contingent_country": "PAKISTAN"}, "contingent_country"),
        ({"incident_date": "yesterday"}, "incident_date"),
        ({"reported_on": "2999-01-01"}, "reported_on"),  # the future
        ({"victims_minors": 5}, "victims_minors"),  # more minors than victims
    ],
)
def test_a_hostile_body_is_a_4xx_naming_the_field_and_writes_nothing(officer, changes, field):
    answer = token_client(officer).post(
        URL, json.dumps({**GOOD, **changes}), content_type="application/json"
    )
    assert answer.status_code == 422, answer.content
    assert field in {error["loc"][-1] for error in answer.json()["detail"]}
    assert not Allegation.objects.exists() and not AllegationIdentity.objects.exists()
    assert not AuditEvent.objects.filter(action="conduct.allegation_recorded").exists()


@pytest.mark.parametrize("body", ["[]", "null", '"x"', "{", "1"])
def test_a_body_that_is_not_an_object_is_refused(officer, body):
    answer = token_client(officer).post(URL, body, content_type="application/json")
    assert 400 <= answer.status_code < 500
    assert not Allegation.objects.exists()


def test_the_same_field_names_and_strings_as_before_still_work(officer):
    # given a client that sends every value as a string, blanks for "not given"
    body = {**GOOD, "victims_male": "", "incident_date": "", "personnel_category": ""}
    answer = token_client(officer).post(URL, body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    made = answer.json()
    assert made["victims_count"] == "2" and made["personnel_category"] == "unknown"
    assert not any(secret in answer.content.decode() for secret in SECRETS)
    assert AllegationIdentity.objects.get().account == RAW["account"]


def test_the_openapi_document_describes_every_field(officer):
    schema = token_client(officer).get("/api/v1/openapi.json").json()
    body = schema["components"]["schemas"]["AllegationIn"]["properties"]
    assert set(body) >= set(RAW)
    assert body["account"]["maxLength"] == 20_000
    channel = schema["components"]["schemas"]["Channel"]
    assert "community" in channel["enum"]
