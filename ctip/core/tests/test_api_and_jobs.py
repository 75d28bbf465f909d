import json

import pytest
from django.core.management import call_command
from django.test import Client

from ctip.core.audit import AuditAction
from ctip.core.codes import Role
from ctip.core.models import AuditEvent, Job, WorkerHeartbeat
from ctip.core.testing import make_entity, make_user, signed_in_client, token_client

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid_openapi():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/entities/{code}" in schema["paths"]
    assert {"BearerAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"]) or schema[
        "components"
    ]["securitySchemes"]


def test_me_and_entity_detail(actors):
    user = actors.by_role[Role.FOCAL_POINT]
    client = token_client(user)
    me = client.get("/api/v1/me").json()
    assert me == {
        "email": user.email,
        "full_name": user.full_name,
        "role": "focal_point",
        "entity": actors.entity.code,
        "two_factor": False,
    }
    detail = client.get(f"/api/v1/entities/{actors.entity.code}").json()
    assert {m["email"] for m in detail["members"]} == {u.email for u in actors.by_role.values()}
    other = client.get(f"/api/v1/entities/{actors.other_entity.code}")
    missing = client.get("/api/v1/entities/NOPE")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()


def test_code_lists_in_the_asked_language(actors):
    client = token_client(actors.by_role[Role.CASEWORKER])
    chinese = client.get("/api/v1/code-lists/form-of-exploitation?lang=zh-hans").json()
    assert {"code": "ForcedLabour", "label": "强迫劳动"} in chinese
    assert client.get("/api/v1/code-lists/nope").status_code == 404


def test_countries_filter_by_region(actors, reference_data):
    client = token_client(actors.by_role[Role.CASEWORKER])
    western_africa = client.get("/api/v1/countries?region=011").json()
    assert "NGA" in {c["alpha3"] for c in western_africa}
    assert "IRQ" not in {c["alpha3"] for c in western_africa}


def test_session_api_calls_need_csrf_for_writes_and_two_factor_for_analysts(actors):
    analyst = actors.by_role[Role.ANALYST]
    unverified = signed_in_client(analyst, verified=False)
    assert unverified.get("/api/v1/me").status_code == 401
    assert signed_in_client(analyst).get("/api/v1/me").status_code == 200


def test_audit_export_runs_as_a_job_with_progress_and_a_download(
    actors, django_capture_on_commit_callbacks
):
    admin = actors.by_role[Role.ADMINISTRATOR]
    client = signed_in_client(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/audit/export/", {"action": AuditAction.USER_CREATED})
    job = Job.objects.get(owner=admin)
    assert response["Location"] == f"/jobs/{job.id}/"
    assert job.status == Job.Status.DONE and job.percent == 100
    assert job.progress_total == AuditEvent.objects.filter(action=AuditAction.USER_CREATED).count()
    page = client.get(f"/jobs/{job.id}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Done" in page and "hx-trigger" not in page
    download = client.get(f"/jobs/{job.id}/download/")
    text = download.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("sequence,created_at,actor")
    assert len(text.splitlines()) == job.progress_total + 1
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=admin).exists()
    assert (
        signed_in_client(actors.other_by_role[Role.ADMINISTRATOR])
        .get(f"/jobs/{job.id}/download/")
        .status_code
        == 404
    )


def test_export_cells_cannot_become_spreadsheet_formulas():
    from ctip.core.exports import csv_bytes

    text = csv_bytes(["a"], [['=HYPERLINK("http://x")'], ["+1"], ["ok"]]).decode("utf-8-sig")
    assert text.splitlines()[1:] == ['"\'=HYPERLINK(""http://x"")"', "'+1", "ok"]


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_queued_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    entity = make_entity()
    admin = make_user(entity, Role.ADMINISTRATOR)
    client = signed_in_client(admin)
    client.post("/audit/export/", {})
    job = Job.objects.get(owner=admin)
    assert job.status == Job.Status.QUEUED
    health = Client().get("/healthz").json()
    assert health["worker"]["queued_tasks"] == 1
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result_data
    assert not WorkerHeartbeat.objects.exists()  # a stopped worker removes its heartbeat


def test_healthz_reports_database_and_worker():
    response = Client().get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["database"]["status"] == "ok"
    assert body["worker"]["status"] in {"ok", "down"}
