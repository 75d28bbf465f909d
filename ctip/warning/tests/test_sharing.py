"""Clearing an assessment for publication (four eyes) and withdrawing it, through the
services, the pages, the public page and the public API; what the public selector lists."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ctip.core import services as core
from ctip.core.audit import AuditEvent
from ctip.core.codes import Role
from ctip.core.models import Country
from ctip.core.testing import confirmed_device, make_user, signed_in_client
from ctip.warning import services
from ctip.warning.codes import Level, ShareRefusal, WarningAction
from ctip.warning.models import Assessment
from ctip.warning.public import SharedSituation, shared_situations

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
SUMMARY = "Talks in the capital broke down on Tuesday"
EVIDENCE = "Group A holds the mining road since March"
# five person-scored indicators at 2: enough of the framework known for a level (high)
LEVELLED = {c: {"score": 2, "evidence": EVIDENCE} for c in ("1.1", "1.x", "2.1", "4.x", "5.1")}


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


def a_situation(name: str = "Sharing conflict"):
    return core.conflict_situation_save(
        actor=None,
        name=name,
        countries=list(Country.objects.filter(alpha3__in=["CAF"])),
        start_date=datetime.date(2023, 1, 1),
    )


@pytest.fixture
def situation(db):
    return a_situation()


def watching(actors, situation, user):
    services.watch_add(actor=actors.by_role[Role.ADMINISTRATOR], situation=situation, user=user)
    return user


@pytest.fixture
def author(actors, situation):
    return watching(actors, situation, actors.by_role[Role.ANALYST])


@pytest.fixture
def second(actors, situation):
    """A second analyst of the entity who watches the situation: the four eyes."""
    return watching(actors, situation, make_user(actors.entity, Role.ANALYST))


@pytest.fixture
def monitor(actors, situation):
    return watching(actors, situation, actors.by_role[Role.MONITOR])


def an_assessment(author, situation, as_of=TODAY, scores=None, summary=SUMMARY) -> Assessment:
    return services.assessment_record(
        actor=author,
        situation=situation,
        as_of=as_of,
        scores=LEVELLED if scores is None else scores,
        summary=summary,
    )


@pytest.fixture
def assessment(author, situation):
    found = an_assessment(author, situation)
    assert found.level == Level.HIGH
    return found


def cleared(assessment: Assessment) -> bool:
    return Assessment.objects.filter(pk=assessment.pk, shared_at__isnull=False).exists()


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> str | None:
    return error.value.error_list[0].code


# --- services -----------------------------------------------------------------------------


def test_a_second_analyst_clears_the_latest_assessment_and_it_is_audited(assessment, second):
    # when
    shared = services.assessment_share(actor=second, assessment=assessment)
    # then
    assessment.refresh_from_db()
    assert assessment.shared_by == second and assessment.shared_at is not None
    assert shared.shared_at == assessment.shared_at
    event = AuditEvent.objects.get(action=WarningAction.SHARED)
    assert event.actor == second and event.object_id == str(assessment.pk)
    assert event.details == {"situation": assessment.situation_id, "as_of": TODAY.isoformat()}


def test_the_author_cannot_clear_their_own_assessment(assessment, author):
    with pytest.raises(ValidationError) as error:
        services.assessment_share(actor=author, assessment=assessment)
    assert refusal(error) == ShareRefusal.OWN
    assert not cleared(assessment)
    assert not AuditEvent.objects.filter(action=WarningAction.SHARED).exists()


def test_only_the_latest_assessment_can_be_cleared(assessment, author, second, situation):
    newer = an_assessment(author, situation)  # same day, recorded later: it supersedes
    with pytest.raises(ValidationError) as error:
        services.assessment_share(actor=second, assessment=assessment)
    assert refusal(error) == ShareRefusal.SUPERSEDED and not cleared(assessment)
    services.assessment_share(actor=second, assessment=newer)
    assert cleared(newer)


def test_an_assessment_without_a_level_cannot_be_cleared(author, second, situation):
    little = an_assessment(author, situation, scores={"1.1": {"score": 2, "evidence": EVIDENCE}})
    assert little.level == ""
    with pytest.raises(ValidationError) as error:
        services.assessment_share(actor=second, assessment=little)
    assert refusal(error) == ShareRefusal.NO_LEVEL and not cleared(little)


def test_a_monitor_who_watches_is_refused_and_a_stranger_finds_nothing(assessment, monitor, actors):
    with pytest.raises(PermissionDenied):
        services.assessment_share(actor=monitor, assessment=assessment)
    for stranger in (
        actors.other_by_role[Role.ANALYST],  # another entity
        make_user(actors.entity, Role.ANALYST),  # the own entity, but not watching
    ):
        with pytest.raises(Http404):
            services.assessment_share(actor=stranger, assessment=assessment)
        with pytest.raises(Http404):
            services.assessment_unshare(actor=stranger, assessment=assessment)
    with pytest.raises(PermissionDenied):
        services.assessment_share(actor=actors.by_role[Role.ADMINISTRATOR], assessment=assessment)
    assert not cleared(assessment)
    assert not AuditEvent.objects.filter(action=WarningAction.SHARED).exists()


def test_a_clearance_is_given_once_and_any_analyst_who_watches_withdraws_it(
    assessment, author, second, monitor
):
    with pytest.raises(ValidationError) as error:
        services.assessment_unshare(actor=author, assessment=assessment)  # nothing to withdraw
    assert refusal(error) == ShareRefusal.NOT_SHARED
    services.assessment_share(actor=second, assessment=assessment)
    with pytest.raises(ValidationError) as error:
        services.assessment_share(actor=second, assessment=assessment)
    assert refusal(error) == ShareRefusal.ALREADY_SHARED
    with pytest.raises(PermissionDenied):
        services.assessment_unshare(actor=monitor, assessment=assessment)
    # when: the author withdraws it (no four eyes to take back a publication)
    services.assessment_unshare(actor=author, assessment=assessment)
    # then
    assessment.refresh_from_db()
    assert assessment.shared_by is None and assessment.shared_at is None
    event = AuditEvent.objects.get(action=WarningAction.UNSHARED)
    assert event.actor == author and event.details["cleared_by"] == second.pk


def test_a_clearance_that_cannot_audit_saves_nothing(assessment, second, audit_fails):
    with pytest.raises(audit_fails):
        services.assessment_share(actor=second, assessment=assessment)
    assert not cleared(assessment)


def test_a_withdrawal_that_cannot_audit_saves_nothing(assessment, second, monkeypatch):
    services.assessment_share(actor=second, assessment=assessment)
    from conftest import AuditWriteFailed

    def refuse(self, *args, **kwargs):
        raise AuditWriteFailed("refused")

    monkeypatch.setattr(AuditEvent, "save", refuse)
    with pytest.raises(AuditWriteFailed):
        services.assessment_unshare(actor=second, assessment=assessment)
    assert cleared(assessment)


# --- the public selector ------------------------------------------------------------------


def test_a_newer_assessment_not_cleared_supersedes_an_older_cleared_one(author, second, actors):
    # given: two situations, each with an assessment cleared in June
    june, july = datetime.date(2026, 6, 10), datetime.date(2026, 7, 10)
    zulu, alpha = a_situation("Zulu conflict"), a_situation("Alpha conflict")
    for place in (zulu, alpha):
        watching(actors, place, author)
        watching(actors, place, second)
        services.assessment_share(actor=second, assessment=an_assessment(author, place, june))
    # when: Zulu gets a newer assessment in July, not cleared
    an_assessment(author, zulu, july)
    # then
    assert shared_situations(july) == [
        SharedSituation(
            situation="Alpha conflict",
            as_of=june,
            level=Level.HIGH,
            level_label="High",
            framework=Assessment.objects.filter(situation=alpha).get().framework,
        )
    ]
    assert [s.situation for s in shared_situations(june)] == ["Alpha conflict", "Zulu conflict"]
    assert shared_situations(june - datetime.timedelta(days=1)) == []  # none in force yet


def test_the_public_selector_reads_no_encrypted_field(assessment, second):
    services.assessment_share(actor=second, assessment=assessment)
    with CaptureQueriesContext(connection) as queries:
        found = shared_situations(TODAY)
    assert [s.situation for s in found] == ["Sharing conflict"]
    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    assert "summary" not in sql and "evidence" not in sql and "sources" not in sql


# --- pages --------------------------------------------------------------------------------


def page_of(user, assessment) -> str:
    response = signed_in_client(user).get(f"/warning/assessments/{assessment.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_button_shows_only_to_those_who_may(assessment, author, second, monitor):
    assert 'data-testid="share"' in page_of(second, assessment)
    assert 'data-testid="share"' not in page_of(author, assessment)  # four eyes
    assert 'data-testid="share"' not in page_of(monitor, assessment)
    services.assessment_share(actor=second, assessment=assessment)
    shown = page_of(author, assessment)
    assert 'data-testid="unshare"' in shown and 'data-testid="share"' not in shown
    assert f"Cleared for publication by {second.email}" in shown
    assert 'data-testid="unshare"' not in page_of(monitor, assessment)
    listed = signed_in_client(monitor).get(f"/warning/situations/{assessment.situation_id}/")
    assert "cleared for publication" in listed.content.decode()


def test_the_button_is_gone_once_the_assessment_is_superseded(assessment, author, second):
    an_assessment(author, assessment.situation)
    assert 'data-testid="share"' not in page_of(second, assessment)


def test_clearing_and_withdrawing_through_the_page(assessment, author, second):
    url = f"/warning/assessments/{assessment.pk}/"
    response = signed_in_client(second).post(f"{url}share/")
    assert response.status_code == 302 and response["Location"] == url
    assert cleared(assessment)
    response = signed_in_client(author).post(f"{url}unshare/")
    assert response.status_code == 302 and not cleared(assessment)


def test_the_author_clearing_through_the_page_is_told_why_not(assessment, author):
    response = signed_in_client(author).post(
        f"/warning/assessments/{assessment.pk}/share/", follow=True
    )
    assert response.status_code == 200 and not cleared(assessment)
    assert "other than its author" in response.content.decode()


def test_others_are_refused_the_clearance(assessment, second, monitor, actors):
    share = f"/warning/assessments/{assessment.pk}/share/"
    assert signed_in_client(monitor).post(share).status_code == 403
    assert signed_in_client(actors.by_role[Role.CASEWORKER]).post(share).status_code == 403
    assert signed_in_client(actors.other_by_role[Role.ANALYST]).post(share).status_code == 404
    assert signed_in_client(make_user(actors.entity, Role.ANALYST)).post(share).status_code == 404
    assert signed_in_client(second).get(share).status_code == 405  # a POST only
    anonymous = Client().post(share)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    csrf = signed_in_client(second, enforce_csrf_checks=True).post(share)
    assert csrf.status_code == 403
    assert not cleared(assessment)
    services.assessment_share(actor=second, assessment=assessment)
    unshare = f"/warning/assessments/{assessment.pk}/unshare/"
    assert signed_in_client(monitor).post(unshare).status_code == 403
    assert signed_in_client(actors.other_by_role[Role.ANALYST]).post(unshare).status_code == 404
    assert cleared(assessment)


def test_a_session_without_its_second_factor_gets_nothing(assessment, second):
    confirmed_device(second)
    client = signed_in_client(second, verified=False)
    response = client.post(f"/warning/assessments/{assessment.pk}/share/")
    assert response.status_code == 302 and "/accounts/otp/" in response["Location"]
    page = client.get(f"/warning/assessments/{assessment.pk}/")
    assert page.status_code == 302 and SUMMARY not in page.content.decode()
    assert not cleared(assessment)


# --- the public page and API --------------------------------------------------------------


def test_the_public_page_lists_the_cleared_situation_and_not_the_others(
    assessment, author, second, actors
):
    # given: a situation cleared, one assessed but not cleared, one superseded since
    services.assessment_share(actor=second, assessment=assessment)
    quiet = a_situation("Quiet conflict")
    watching(actors, quiet, author)
    an_assessment(author, quiet, summary="Quiet summary")
    moved = a_situation("Moved conflict")
    watching(actors, moved, author)
    watching(actors, moved, second)
    older = an_assessment(author, moved, TODAY - datetime.timedelta(days=30))
    services.assessment_share(actor=second, assessment=older)
    an_assessment(author, moved)
    # when
    response = Client().get("/public/early-warning/")
    # then
    text = response.content.decode()
    assert response.status_code == 200
    table = text.split('data-testid="shared">', 1)[1].split("</table>", 1)[0]
    assert "Sharing conflict" in table and "High" in table
    assert "Quiet conflict" not in text and "Moved conflict" not in text
    assert SUMMARY not in text and "Quiet summary" not in text and EVIDENCE not in text
    assert second.email not in text and author.email not in text


def test_the_public_page_says_so_when_nothing_is_cleared(assessment):
    text = Client().get("/public/early-warning/").content.decode()
    assert "assessment is cleared for publication at present" in text
    assert "Sharing conflict" not in text


def test_the_public_api_gives_the_cleared_situations_and_nothing_more(assessment, second):
    services.assessment_share(actor=second, assessment=assessment)
    found = Client().get("/api/v1/public/warning/framework").json()
    assert found["shared_situations"] == [
        {
            "situation": "Sharing conflict",
            "as_of": TODAY.isoformat(),
            "level": "high",
            "level_label": "High",
            "framework": assessment.framework,
        }
    ]
    assert "factors" in found  # the framework itself, as before
    services.assessment_unshare(actor=second, assessment=assessment)
    assert Client().get("/api/v1/public/warning/framework").json()["shared_situations"] == []


# --- demo ---------------------------------------------------------------------------------


def test_the_demo_clears_its_assessment_by_a_second_analyst():
    from ctip.core.demo import load_demo_data as core_demo
    from ctip.warning.demo import load_demo_data

    core_demo()
    assert load_demo_data()["watches"] > 0
    shared = Assessment.objects.get(shared_at__isnull=False)
    assert shared.shared_by is not None and shared.shared_by != shared.author
    assert [s.situation for s in shared_situations(TODAY)] == [shared.situation.name]
