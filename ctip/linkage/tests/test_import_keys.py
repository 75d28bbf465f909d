"""Linkage keys through the import API: taken when well formed, named when not, and a file
with identities in clear refused before a row is read."""

import base64
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ctip.core.codes import Role
from ctip.core.testing import token_client
from ctip.linkage.keys import Identity, encode
from ctip.statistics.models import Submission, VictimRecord
from ctip.statistics.services import round_open

pytestmark = pytest.mark.django_db
KEY = encode(Identity("Amina", "Haddad", "1990-01-02", "F"), "x" * 20)
HEADER = b"year_of_identification,country_of_detection,sex,linkage_key\n"


@pytest.fixture
def client(actors, reference_data):
    round_open(actor=None, year=2025, deadline=date(2026, 6, 30))
    return token_client(actors.by_role[Role.FOCAL_POINT])


def post(client, body: bytes):
    upload = SimpleUploadedFile("records.csv", body)
    return client.post("/api/v1/statistics/rounds/2025/import", {"file": upload})


def test_a_key_is_stored_as_given_and_a_blank_one_is_no_key(client):
    answer = post(client, HEADER + f"2025,IRQ,F,{KEY}\n2025,IRQ,M,\n".encode())
    assert answer.status_code == 200 and answer.json()["created"] == 2
    assert sorted(VictimRecord.objects.values_list("linkage_key", flat=True)) == ["", KEY]


@pytest.mark.parametrize(
    "bad",
    [
        KEY[:-8],  # cut short
        base64.b64encode(b"\x00" * 64).decode(),  # a key of another size
        "not base64 at all!",
        "'; DROP TABLE statistics_victimrecord; --",
    ],
)
def test_a_bad_key_is_named_by_row_and_column_and_nothing_is_written(client, bad):
    answer = post(client, HEADER + f"2025,IRQ,F,{KEY}\n2025,IRQ,F,{bad}\n".encode())
    body = answer.json()
    assert body["ok"] is False and body["created"] == 0
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "linkage_key")]
    assert "linkage key" in body["errors"][0]["expected"]
    assert not VictimRecord.objects.exists() and not Submission.objects.exists()


@pytest.mark.parametrize("column", ["given_name", "family_name", "names", "date_of_birth"])
def test_identities_in_clear_are_refused_with_the_way_to_encode(client, column):
    answer = post(
        client, f"year_of_identification,country_of_detection,{column}\n".encode() + b"2025,IRQ,x\n"
    )
    body = answer.json()
    assert body["ok"] is False and column in body["file_problem"]
    assert "encode_identities" in body["file_problem"]
    assert not Submission.objects.exists()


def test_the_import_page_refuses_identities_before_keeping_the_file(actors, reference_data):
    from ctip.core.models import Job
    from ctip.core.testing import signed_in_client

    round_open(actor=None, year=2025, deadline=date(2026, 6, 30))
    client = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    upload = SimpleUploadedFile(
        "clear.csv",
        b"year_of_identification,country_of_detection,given_name\n2025,IRQ,Nadia Murad\n",
    )
    page = client.post("/statistics/rounds/2025/import/", {"file": upload})
    assert page.status_code == 200 and "encode_identities" in page.content.decode()
    assert not Job.objects.exists() and not Submission.objects.exists()
