"""A round's life, the two-step import, the grid that keeps what was typed, the publication
preview and undoing a duplicate decision: what a focal point and an analyst do every day."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ctip.core.audit import AuditEvent
from ctip.core.codes import Role
from ctip.core.models import Country, Job
from ctip.core.services import job_inputs_expire
from ctip.core.testing import signed_in_client
from ctip.statistics import duplicates, services
from ctip.statistics.codes import RoundState, StatisticsAction
from ctip.statistics.importing import import_file
from ctip.statistics.models import DuplicateCluster, PublishedRelease, Submission, VictimRecord
from ctip.statistics.tests.builders import ROW, a_draft, status_of
from ctip.statistics.tests.conftest import ctip_csv

GRID_CELL = "cell|Persons convicted|_T|_T|Total"


def _import(actors, round_, rows=1):
    return import_file(
        actor=actors.by_role[Role.FOCAL_POINT],
        entity=actors.entity,
        round_=round_,
        data=ctip_csv([{**ROW, "year_of_identification": round_.year}] * rows),
        filename="f.csv",
    )


# --- a round's life ------------------------------------------------------------------------


def test_a_closed_round_takes_no_new_data_but_returned_work_can_be_corrected(actors, round_2025):
    focal, analyst = actors.by_role[Role.FOCAL_POINT], actors.by_role[Role.ANALYST]
    draft = a_draft(actors, round_2025)
    services.submission_submit(actor=focal, submission=draft)
    other_focal = actors.other_by_role[Role.FOCAL_POINT]
    frozen = services.submission_start(
        actor=other_focal, round_=round_2025, country=Country.objects.get(pk="SYR")
    )
    services.round_set_state(actor=analyst, round_=round_2025, state=RoundState.CLOSED)
    round_2025.refresh_from_db()
    assert round_2025.state == RoundState.CLOSED
    assert AuditEvent.objects.filter(action=StatisticsAction.ROUND_CLOSED).count() == 1

    result = _import(actors, round_2025)
    assert "round (Closed for submissions)" in result.file_problem
    assert VictimRecord.objects.count() == 8  # nothing added
    with pytest.raises(ValidationError, match="Closed for submissions"):
        services.submission_start(
            actor=focal, round_=round_2025, country=Country.objects.get(pk="SYR")
        )
    services.submission_return(actor=analyst, submission=draft, comment="Add ages.")
    returned = Submission.objects.get(pk=draft.pk)
    assert returned.is_editable  # returned for correction: it can still be put right
    services.cells_set(
        actor=focal,
        submission=returned,
        dimension="Total",
        typed={("Persons convicted", "_T", "_T", "Total"): "3"},
    )
    services.submission_submit(actor=focal, submission=returned)
    # a draft started before the round closed is frozen, and says why
    with pytest.raises(ValidationError, match="Closed for submissions"):
        services.cells_set(
            actor=other_focal,
            submission=Submission.objects.get(pk=frozen.pk),
            dimension="Total",
            typed={("Persons convicted", "_T", "_T", "Total"): "3"},
        )
    services.round_set_state(actor=analyst, round_=round_2025, state=RoundState.OPEN)
    assert AuditEvent.objects.filter(action=StatisticsAction.ROUND_REOPENED).count() == 1


def test_only_coordinators_close_a_round_and_publication_ends_it(actors, round_2025):
    focal, analyst = actors.by_role[Role.FOCAL_POINT], actors.by_role[Role.ANALYST]
    with pytest.raises(PermissionDenied):
        services.round_set_state(actor=focal, round_=round_2025, state=RoundState.CLOSED)
    draft = a_draft(actors, round_2025)
    services.submission_submit(actor=focal, submission=draft)
    services.submission_validate(actor=actors.other_by_role[Role.ANALYST], submission=draft)
    services.round_publish(actor=analyst, round_=round_2025)
    round_2025.refresh_from_db()
    assert round_2025.state == RoundState.PUBLISHED
    with pytest.raises(ValidationError, match="Published"):
        services.round_set_state(actor=analyst, round_=round_2025, state=RoundState.OPEN)
    assert "round (Published)" in _import(actors, round_2025).file_problem


def test_the_round_page_shows_the_state_and_closes_the_round(actors, round_2025):
    analyst = signed_in_client(actors.by_role[Role.ANALYST])
    page = analyst.get(reverse("statistics:round", args=[2025])).content.decode()
    assert 'data-state="open"' in page and "Close for submissions" in page
    analyst.post(reverse("statistics:round_state", args=[2025]), {"state": "closed"})
    round_2025.refresh_from_db()
    assert round_2025.state == RoundState.CLOSED
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    page = focal.get(reverse("statistics:round", args=[2025])).content.decode()
    assert "Closed for submissions" in page and "Import a file" not in page
    answer = focal.get(reverse("statistics:import", args=[2025]), follow=True)
    assert "takes no more data" in answer.content.decode()
    # a focal point cannot change the state
    assert (
        focal.post(reverse("statistics:round_state", args=[2025]), {"state": "open"}).status_code
        == 403
    )


# --- the two-step import -------------------------------------------------------------------


def _check(client, rows):
    upload = SimpleUploadedFile("records.csv", ctip_csv(rows))
    answer = client.post(reverse("statistics:import", args=[2025]), {"file": upload}, follow=True)
    return answer.context["job"]


def test_a_clean_check_is_imported_once_without_a_new_upload(actors, round_2025):
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    checked = _check(focal, [ROW] * 3)
    page = focal.get(reverse("statistics:import_result", args=[checked.pk])).content.decode()
    assert "Import these 3 rows" in page
    assert not Submission.objects.exists()
    confirm = reverse("statistics:import_confirm", args=[checked.pk])
    # someone else, even of the same entity, cannot import another's check
    other = signed_in_client(actors.by_role[Role.CASEWORKER])
    assert other.post(confirm).status_code == 404
    answer = focal.post(confirm, follow=True)
    assert "Imported 3 rows" in answer.content.decode()
    assert VictimRecord.objects.count() == 3
    checked.refresh_from_db()
    assert checked.input_data is None and checked.summary["ready"] is False
    answer = focal.post(confirm, follow=True)  # twice: refused, nothing more written
    assert "can no longer be imported" in answer.content.decode()
    assert VictimRecord.objects.count() == 3


def test_a_check_with_errors_keeps_no_file_and_counts_rows_with_errors(actors, round_2025):
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    bad = {**ROW, "sex": "X", "age": "old"}
    job = _check(focal, [ROW, bad, bad])
    job.refresh_from_db()
    assert job.input_data is None
    page = focal.get(reverse("statistics:import_result", args=[job.pk])).content.decode()
    assert f"{job.summary['error_count']} errors in 2 of 3 rows" in page


def test_a_kept_check_expires_after_a_day(actors, round_2025):
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    job = _check(focal, [ROW])
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    answer = focal.post(reverse("statistics:import_confirm", args=[job.pk]), follow=True)
    assert "older than a day" in answer.content.decode()
    assert job_inputs_expire() == 1
    assert Job.objects.get(pk=job.pk).input_data is None
    assert not VictimRecord.objects.exists()


def test_a_check_cannot_be_imported_once_the_round_is_closed(actors, round_2025):
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    job = _check(focal, [ROW])
    services.round_set_state(
        actor=actors.by_role[Role.ANALYST], round_=round_2025, state=RoundState.CLOSED
    )
    answer = focal.post(reverse("statistics:import_confirm", args=[job.pk]), follow=True)
    assert "takes no more data" in answer.content.decode()
    assert not VictimRecord.objects.exists()


def test_a_finished_job_shows_all_of_its_work_done(actors):
    from ctip.core.services import job_finish, job_start

    job = job_start(
        actor=actors.by_role[Role.ANALYST], kind="audit_export", parameters={}, task=None
    )
    job.progress_total = 315
    job_finish(job=job)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.percent) == (315, 315, 100)


# --- the grid ------------------------------------------------------------------------------


def test_the_grid_counts_only_changes_and_keeps_a_bad_post_as_typed(actors, round_2025):
    focal_user = actors.by_role[Role.FOCAL_POINT]
    focal = signed_in_client(focal_user)
    submission = services.submission_start(
        actor=focal_user, round_=round_2025, country=Country.objects.get(pk="IRQ")
    )
    url = reverse("statistics:grid", args=[submission.pk])
    other = "cell|Persons prosecuted|_T|_T|Total"
    answer = focal.post(url, {"dimension": "Total", GRID_CELL: "4", other: ""}, follow=True)
    assert "1 cell saved." in answer.content.decode()
    answer = focal.post(url, {"dimension": "Total", GRID_CELL: "4", other: ""}, follow=True)
    assert "Nothing had changed." in answer.content.decode()
    answer = focal.post(url, {"dimension": "Total", GRID_CELL: "5", other: "many"})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert f'name="{GRID_CELL}" value="5"' in page  # the good value typed is kept
    assert 'value="many" inputmode="numeric" size="8" aria-label' in page
    assert page.count('aria-invalid="true"') == 1
    assert submission.aggregates.get().value == 4  # nothing of the bad post was written
    # the grid is in words, not SDMX codes
    assert "Persons convicted" in page and ">Total<" in page and "Children (0 to 17 years)" in page


# --- publication preview -------------------------------------------------------------------


def test_publishing_shows_a_preview_first_and_writes_nothing_until_confirmed(actors, round_2025):
    focal, analyst = actors.by_role[Role.FOCAL_POINT], actors.by_role[Role.ANALYST]
    draft = a_draft(actors, round_2025)
    services.submission_submit(actor=focal, submission=draft)
    services.submission_validate(actor=actors.other_by_role[Role.ANALYST], submission=draft)
    client = signed_in_client(analyst)
    url = reverse("statistics:publish", args=[2025])
    page = client.get(url, {"threshold": 10}).content.decode()
    assert "Publish version 1 of the 2025 round?" in page
    assert '<tr data-area="IRQ"><td>Iraq</td><td><span data-status="A"' in page  # 8 < 10
    assert not PublishedRelease.objects.exists()
    assert status_of(draft) == "validated"
    previewed = {"threshold": 10, "version": 1, "submissions": str(draft.pk)}
    # a submission validated after the preview is not published unseen
    other = services.submission_start(
        actor=focal, round_=round_2025, country=Country.objects.get(pk="SYR")
    )
    answer = client.post(url, {**previewed, "submissions": f"{draft.pk},{other.pk}"}, follow=True)
    assert "changed since the preview" in answer.content.decode()
    assert not PublishedRelease.objects.exists()
    client.post(url, previewed)
    assert PublishedRelease.objects.get().threshold == 10
    # a second click publishes nothing more
    answer = client.post(url, previewed, follow=True)
    assert "changed since the preview" in answer.content.decode()
    assert PublishedRelease.objects.count() == 1
    # a focal point gets neither the preview nor the publication
    assert signed_in_client(focal).get(url, {"threshold": 5}).status_code == 403


# --- duplicates ----------------------------------------------------------------------------


def test_a_duplicate_decision_can_be_undone(actors, round_2025):
    analyst = actors.by_role[Role.ANALYST]
    draft = a_draft(actors, round_2025)
    cluster = DuplicateCluster.objects.create(round=round_2025, match_probability=0.97)
    cluster.members.create(record=draft.records.all()[0])
    duplicates.dedup_decide(actor=analyst, cluster=cluster, same_person=True)
    client = signed_in_client(analyst)
    page = client.get(reverse("statistics:round", args=[2025])).content.decode()
    assert f'data-testid="undo-{cluster.pk}"' in page
    client.post(reverse("statistics:dedup_decide", args=[cluster.pk]), {"decision": "undo"})
    cluster.refresh_from_db()
    assert cluster.status == DuplicateCluster.Status.PROPOSED and cluster.decided_by is None
    assert AuditEvent.objects.filter(action=StatisticsAction.DEDUP_UNDONE).count() == 1
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    answer = focal.post(reverse("statistics:dedup_decide", args=[cluster.pk]), {"decision": "undo"})
    assert answer.status_code in {403, 404}


# --- lists and records -----------------------------------------------------------------------


def test_the_round_lists_submissions_found_by_status_and_exports_what_it_shows(actors, round_2025):
    draft = a_draft(actors, round_2025)
    other_focal = actors.other_by_role[Role.FOCAL_POINT]
    syria = services.submission_start(
        actor=other_focal, round_=round_2025, country=Country.objects.get(pk="SYR")
    )
    services.submission_submit(actor=actors.by_role[Role.FOCAL_POINT], submission=draft)
    analyst = signed_in_client(actors.by_role[Role.ANALYST])
    url = reverse("statistics:round", args=[2025])
    page = analyst.get(url, {"status": "submitted"}).content.decode()
    assert f"/statistics/submissions/{draft.pk}/" in page
    assert f"/statistics/submissions/{syria.pk}/" not in page
    assert 'data-testid="list-count">1 found' in page
    answer = analyst.get(url, {"status": "submitted", "export": "csv"})
    rows = answer.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Entity,Country of detection,Status") and len(rows) == 2
    assert AuditEvent.objects.filter(action="export.created", details__list="submissions").exists()
    # an unknown filter value is ignored, never an error
    assert analyst.get(url, {"status": "<script>"}).status_code == 200


def test_records_are_listed_and_a_wrong_import_is_deleted_while_it_can_change(actors, round_2025):
    draft = a_draft(actors, round_2025)
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    url = reverse("statistics:records", args=[draft.pk])
    page = focal.get(url, {"sex": "F"}).content.decode()
    assert 'data-testid="list-count">8 found' in page and "Female" in page
    assert 'data-testid="list-count">0 found' in focal.get(url, {"sex": "M"}).content.decode()
    # another entity's focal point sees nothing of it, and cannot delete it
    stranger = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"sure": "on"}).status_code == 404
    assert VictimRecord.objects.count() == 8
    # the analyst may delete a wrong import of a draft; the focal points are told
    analyst = signed_in_client(actors.by_role[Role.ANALYST])
    analyst.post(url, {"sure": "on"})
    draft.refresh_from_db()
    assert VictimRecord.objects.count() == 0 and draft.record_count == 0
    assert AuditEvent.objects.filter(action=StatisticsAction.RECORDS_DELETED).count() == 1
    assert draft.events.filter(details__records_deleted=8).exists()
    # once submitted, nothing can be deleted
    again = a_draft(actors, round_2025)
    services.submission_submit(actor=actors.by_role[Role.FOCAL_POINT], submission=again)
    answer = focal.post(url, {"sure": "on"}, follow=True)
    assert "cannot be deleted by you now" in answer.content.decode()
    assert VictimRecord.objects.count() == 8


def test_a_caseworker_cannot_wipe_a_submission_and_administrators_see_no_records(
    actors, round_2025
):
    draft = a_draft(actors, round_2025)
    url = reverse("statistics:records", args=[draft.pk])
    worker = signed_in_client(actors.by_role[Role.CASEWORKER])
    assert worker.get(url).status_code == 200  # may read its entity's records
    worker.post(url, {"sure": "on"})
    assert VictimRecord.objects.count() == 8
    admin = signed_in_client(actors.by_role[Role.ADMINISTRATOR])
    assert admin.get(url).status_code == 404
    # the export of a submission's records names it in the audit
    analyst = signed_in_client(actors.by_role[Role.ANALYST])
    analyst.get(url, {"export": "csv"})
    event = AuditEvent.objects.get(action="export.created")
    assert event.object_id == str(draft.pk) and event.details["list"] == "victim-records"


def test_a_check_is_not_imported_by_someone_who_changed_role_or_entity(actors, round_2025):
    focal_user = actors.by_role[Role.FOCAL_POINT]
    focal = signed_in_client(focal_user)
    job = _check(focal, [ROW])
    focal_user.role = Role.MONITOR
    focal_user.save()
    assert focal.post(reverse("statistics:import_confirm", args=[job.pk])).status_code in {403, 404}
    focal_user.role = Role.FOCAL_POINT
    focal_user.entity = actors.other_entity
    focal_user.save()
    assert focal.post(reverse("statistics:import_confirm", args=[job.pk])).status_code == 404
    assert not VictimRecord.objects.exists()


def test_a_cluster_decided_meanwhile_is_not_decided_again(actors, round_2025):
    analyst = actors.by_role[Role.ANALYST]
    draft = a_draft(actors, round_2025)
    cluster = DuplicateCluster.objects.create(round=round_2025, match_probability=0.97)
    cluster.members.create(record=draft.records.all()[0])
    stale = DuplicateCluster.objects.get(pk=cluster.pk)
    duplicates.dedup_decide(actor=analyst, cluster=cluster, same_person=True)
    with pytest.raises(ValidationError, match="decided meanwhile"):
        duplicates.dedup_decide(actor=analyst, cluster=stale, same_person=False)
    assert DuplicateCluster.objects.get(pk=cluster.pk).status == "confirmed"
