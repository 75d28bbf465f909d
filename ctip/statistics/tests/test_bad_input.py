"""Ids and numbers from forms, URLs and API bodies: a bad one is a 404 or a 4xx, never a 500."""

import pytest
from django.urls import reverse

from ctip.core.codes import Role
from ctip.core.models import Country
from ctip.core.testing import signed_in_client, token_client
from ctip.statistics import expectations, services
from ctip.statistics.models import AggregateValue, ExpectedSubmission, Submission

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("expected", ["abc", "", "1.5", "²", "9" * 40, "-1"])
def test_removing_an_expectation_with_a_bad_id_is_a_404(actors, round_2025, expected):
    # given
    analyst = actors.by_role[Role.ANALYST]
    kept = expectations.expected_add(
        actor=analyst,
        round_=round_2025,
        entity=actors.entity,
        country=Country.objects.get(pk="IRQ"),
    )
    # when
    answer = signed_in_client(analyst).post(
        reverse("statistics:expected", args=[2025]), {"action": "remove", "expected": expected}
    )
    # then
    assert answer.status_code == 404
    assert ExpectedSubmission.objects.filter(pk=kept.pk).exists()


@pytest.mark.parametrize("query", ["?expected=abc", "?clusters=abc", "?country=ZZZ", "?add=²"])
def test_the_round_and_submission_pages_ignore_odd_query_strings(actors, round_2025, query):
    analyst = signed_in_client(actors.by_role[Role.ANALYST])
    assert analyst.get(reverse("statistics:round", args=[2025]) + query).status_code == 200


def test_an_import_job_id_that_is_no_uuid_is_a_404(actors):
    client = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    assert client.get(reverse("statistics:import_result", args=["abc"])).status_code == 404


def test_a_cell_typed_with_digits_that_are_not_ascii_is_a_form_error(actors, round_2025):
    # given
    focal = actors.by_role[Role.FOCAL_POINT]
    submission = services.submission_start(
        actor=focal, round_=round_2025, country=Country.objects.get(pk="IRQ")
    )
    name = "cell|Detected trafficking victims|_T|_T|Total"
    # when
    answer = signed_in_client(focal).post(
        reverse("statistics:grid", args=[submission.pk]), {name: "²", "dimension": "Total"}
    )
    # then
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "is not a whole number" in page
    assert 'value="²"' in page and 'aria-invalid="true"' in page  # kept as typed, marked
    assert not AggregateValue.objects.exists()


@pytest.mark.parametrize(
    ("fields", "named"),
    [({"layout": "=cmd"}, "layout"), ({"country": "IRQ;DROP"}, "country")],
)
def test_the_import_api_names_a_bad_field_and_writes_nothing(actors, round_2025, fields, named):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = token_client(actors.by_role[Role.FOCAL_POINT])
    upload = SimpleUploadedFile("f.csv", b"year_of_identification,country_of_detection\n2025,IRQ\n")
    answer = client.post("/api/v1/statistics/rounds/2025/import", {"file": upload, **fields})
    assert answer.status_code == 422 and named in answer.content.decode()
    assert not Submission.objects.exists()
