"""Submit, return, validate and publish over the API: the pages' services, rules and audit.

Each endpoint: anonymous 401, another entity's submission the same 404 as a missing one, a role
without the right 403, a refused rule a 400 naming it, and the happy path changes the state and
writes the page's audit event.
"""

import json

import pytest
from django.test import Client

from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import token_client
from ctip.statistics import services
from ctip.statistics.codes import StatisticsAction, SubmissionStatus
from ctip.statistics.models import PublishedRelease
from ctip.statistics.tests.builders import status_of

pytestmark = pytest.mark.django_db
MISSING = 999_999


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def audited(action, submission):
    return AuditEvent.objects.filter(action=action, object_id=str(submission.pk))


# --- submit -------------------------------------------------------------------------------


def test_a_focal_point_submits_over_the_api(actors, draft):
    # when
    answer = post(
        token_client(actors.by_role[Role.FOCAL_POINT]),
        f"/api/v1/statistics/submissions/{draft.pk}/submit",
    )
    # then
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == SubmissionStatus.SUBMITTED
    assert status_of(draft) == SubmissionStatus.SUBMITTED
    assert (
        audited(StatisticsAction.SUBMITTED, draft).get().actor == actors.by_role[Role.FOCAL_POINT]
    )
    assert draft.events.filter(kind="submitted").exists()


@pytest.mark.parametrize(
    ("who", "want"),
    [
        ("anonymous", 401),
        ("other focal_point", 404),
        ("other administrator", 403),
        (Role.CASEWORKER, 403),  # prepares data, never submits
        (Role.ANALYST, 403),
        (Role.ADMINISTRATOR, 403),
        (Role.LEGAL_OFFICER, 403),
        (Role.CONDUCT_OFFICER, 403),
    ],
)
def test_submit_is_refused_to_whoever_may_not(actors, draft, who, want):
    # given
    client = _client(actors, who)
    # when
    answer = post(client, f"/api/v1/statistics/submissions/{draft.pk}/submit")
    # then
    assert answer.status_code == want, answer.content
    assert status_of(draft) == SubmissionStatus.DRAFT
    assert not audited(StatisticsAction.SUBMITTED, draft).exists()


def test_another_entitys_submission_is_the_same_404_as_a_missing_one(actors, draft):
    client = token_client(actors.other_by_role[Role.FOCAL_POINT])
    theirs = post(client, f"/api/v1/statistics/submissions/{draft.pk}/submit")
    missing = post(client, f"/api/v1/statistics/submissions/{MISSING}/submit")
    assert (theirs.status_code, theirs.content) == (missing.status_code, missing.content)
    assert theirs.status_code == 404


def test_a_refused_submit_is_a_400_with_the_services_messages(actors, submitted):
    # given a submission already submitted: no longer editable
    answer = post(
        token_client(actors.by_role[Role.FOCAL_POINT]),
        f"/api/v1/statistics/submissions/{submitted.pk}/submit",
    )
    # then
    assert answer.status_code == 400
    body = answer.json()
    assert "cannot be changed" in body["detail"]
    assert body["errors"] == [{"field": "", "message": body["detail"]}]


# --- return -------------------------------------------------------------------------------


def test_an_analyst_returns_with_a_comment(actors, submitted):
    analyst = actors.by_role[Role.ANALYST]
    answer = post(
        token_client(analyst),
        f"/api/v1/statistics/submissions/{submitted.pk}/return",
        {"comment": "Check the sex totals"},
    )
    assert answer.status_code == 200, answer.content
    assert status_of(submitted) == SubmissionStatus.RETURNED
    assert audited(StatisticsAction.RETURNED, submitted).get().actor == analyst
    event = submitted.events.get(kind="returned")
    assert event.comment == "Check the sex totals"


def test_a_return_without_a_comment_names_the_field(actors, submitted):
    answer = post(
        token_client(actors.by_role[Role.ANALYST]),
        f"/api/v1/statistics/submissions/{submitted.pk}/return",
        {"comment": "  "},
    )
    assert answer.status_code == 400
    assert [e["field"] for e in answer.json()["errors"]] == ["comment"]
    assert status_of(submitted) == SubmissionStatus.SUBMITTED


@pytest.mark.parametrize(
    ("who", "want"),
    [
        ("anonymous", 401),
        ("other focal_point", 404),
        (Role.FOCAL_POINT, 403),
        (Role.CASEWORKER, 403),
        (Role.ADMINISTRATOR, 403),  # runs the system, does not review
        (Role.LEGAL_OFFICER, 403),
    ],
)
def test_return_and_validate_are_refused_to_whoever_may_not(actors, submitted, who, want):
    client = _client(actors, who)
    for step, body in (("return", {"comment": "no"}), ("validate", {})):
        answer = post(client, f"/api/v1/statistics/submissions/{submitted.pk}/{step}", body)
        assert answer.status_code == want, (step, answer.content)
    assert status_of(submitted) == SubmissionStatus.SUBMITTED
    assert not AuditEvent.objects.filter(
        action__in=[StatisticsAction.RETURNED, StatisticsAction.VALIDATED]
    ).exists()


# --- validate -----------------------------------------------------------------------------


def test_an_analyst_of_another_entity_validates(actors, submitted):
    # analysts review every entity's submissions, as on the pages
    analyst = actors.other_by_role[Role.ANALYST]
    answer = post(token_client(analyst), f"/api/v1/statistics/submissions/{submitted.pk}/validate")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == SubmissionStatus.VALIDATED
    assert status_of(submitted) == SubmissionStatus.VALIDATED
    assert audited(StatisticsAction.VALIDATED, submitted).get().actor == analyst


def test_a_draft_cannot_be_validated(actors, draft):
    answer = post(
        token_client(actors.by_role[Role.ANALYST]),
        f"/api/v1/statistics/submissions/{draft.pk}/validate",
    )
    assert answer.status_code == 400
    assert "Only submitted data" in answer.json()["detail"]


# --- publish ------------------------------------------------------------------------------


def test_an_analyst_publishes_a_round(actors, submitted):
    analyst = actors.by_role[Role.ANALYST]
    services.submission_validate(actor=analyst, submission=submitted)
    answer = post(token_client(analyst), "/api/v1/statistics/rounds/2025/publish", {"threshold": 5})
    assert answer.status_code == 200, answer.content
    assert answer.json()["version"] == 1 and answer.json()["submissions"] == 1
    release = PublishedRelease.objects.get()
    assert status_of(submitted) == SubmissionStatus.PUBLISHED
    event = AuditEvent.objects.get(action=StatisticsAction.PUBLISHED)
    assert (event.actor, event.object_id) == (analyst, str(release.pk))


@pytest.mark.parametrize(
    ("body", "field"),
    [({"threshold": 1}, "threshold"), ({"epsilon": 50}, "epsilon"), ({}, "")],
)
def test_publishing_refused_by_a_rule_is_a_400(actors, submitted, body, field):
    # given: nothing validated (the empty body reaches that rule), or a bad parameter
    analyst = actors.by_role[Role.ANALYST]
    if field:
        services.submission_validate(actor=analyst, submission=submitted)
    answer = post(token_client(analyst), "/api/v1/statistics/rounds/2025/publish", body)
    assert answer.status_code == 400, answer.content
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert not PublishedRelease.objects.exists()


@pytest.mark.parametrize(
    ("who", "year", "want"),
    [
        ("anonymous", 2025, 401),
        (Role.FOCAL_POINT, 2025, 403),
        (Role.ADMINISTRATOR, 2025, 403),
        ("other focal_point", 2025, 403),
        (Role.ANALYST, 1999, 404),
    ],
)
def test_publishing_is_refused_to_whoever_may_not(actors, submitted, who, year, want):
    services.submission_validate(actor=actors.by_role[Role.ANALYST], submission=submitted)
    answer = post(_client(actors, who), f"/api/v1/statistics/rounds/{year}/publish")
    assert answer.status_code == want, answer.content
    assert not PublishedRelease.objects.exists()
    assert not AuditEvent.objects.filter(action=StatisticsAction.PUBLISHED).exists()


def test_the_openapi_document_describes_the_workflow():
    schema = Client().get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/statistics/submissions/{submission_id}/submit",
        "/api/v1/statistics/submissions/{submission_id}/return",
        "/api/v1/statistics/submissions/{submission_id}/validate",
        "/api/v1/statistics/rounds/{year}/publish",
    ):
        assert "400" in schema["paths"][path]["post"]["responses"]


def _client(actors, who):
    if who == "anonymous":
        return Client()
    if who.startswith("other "):
        return token_client(actors.other_by_role[who.removeprefix("other ")])
    return token_client(actors.by_role[who])


@pytest.mark.parametrize("comment", ["a\x00b", "x" * 4_001, None])
def test_a_hostile_comment_is_a_4xx_and_changes_nothing(actors, submitted, comment):
    answer = post(
        token_client(actors.by_role[Role.ANALYST]),
        f"/api/v1/statistics/submissions/{submitted.pk}/return",
        {"comment": comment},
    )
    assert 400 <= answer.status_code < 500
    assert status_of(submitted) == SubmissionStatus.SUBMITTED


def test_publishing_without_a_body_uses_the_default_threshold(actors, submitted):
    analyst = actors.by_role[Role.ANALYST]
    services.submission_validate(actor=analyst, submission=submitted)
    answer = token_client(analyst).post(
        "/api/v1/statistics/rounds/2025/publish", "", content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["threshold"] == services.DEFAULT_THRESHOLD
