"""Faults: a process killed in the middle of an import, a publication or a key rotation
leaves nothing half-written; a worker killed during a job leaves the job failed, not
"running"; a database that goes away gives a clear 503 and comes back without a restart."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import TEST_KEYRING
from ctip.cases.tests.builders import a_case
from ctip.core import services as core_services
from ctip.core.codes import Role
from ctip.core.crypto import key_id_of
from ctip.core.models import AuditEvent, Job
from ctip.core.testing import database_url, process_env, signed_in_client
from ctip.statistics import selectors as statistics_selectors
from ctip.statistics.codes import RoundState
from ctip.statistics.services import round_open, submission_validate
from ctip.statistics.tasks import import_upload
from ctip.statistics.tests.builders import a_submitted
from ctip.statistics.tests.conftest import ctip_csv

pytestmark = pytest.mark.django_db(transaction=True)
CHILD = Path(__file__).with_name("fault_child.py")


def killed_at(order: dict, tmp_path: Path) -> None:
    """Start the operation in its own process on the test database, wait until it reaches
    `order["hang"]` inside its transaction, and kill it there (SIGKILL: no clean-up runs)."""
    marker = tmp_path / "reached"
    env = process_env(database_url(), TEST_KEYRING)
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, str(CHILD), json.dumps({**order, "marker": str(marker)})],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            raise AssertionError(f"never reached {order['hang']}: {child.stderr.read()!r}")
        time.sleep(0.1)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)


def state_of(*app_labels: str) -> dict[str, list[dict]]:
    models = [m for label in app_labels for m in apps.get_app_config(label).get_models()]
    return {
        m._meta.label: list(m._default_manager.order_by("pk").values())
        for m in [*models, AuditEvent]
    }


def test_a_worker_killed_during_an_import_leaves_nothing_and_the_job_failed(
    actors, reference_data, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    round_open(actor=None, year=2025, deadline=date(2026, 6, 30))
    rows = [{"year_of_identification": 2025, "country_of_detection": "IRQ", "sex": "F"}] * 300
    before = state_of("statistics")
    job = core_services.job_start(
        actor=actors.by_role[Role.FOCAL_POINT],
        kind=statistics_selectors.IMPORT_JOB,
        parameters={"year": 2025, "dry_run": False, "rows_hint": 300},
        task=import_upload,
        input_name="records.csv",
        input_data=ctip_csv(rows),
    )
    before = {**before, "core.AuditEvent": list(AuditEvent.objects.order_by("pk").values())}

    killed_at({"operation": "worker", "hang": "ctip.statistics.importing:_record_import"}, tmp_path)

    assert state_of("statistics") == before  # no record, no submission, no audit event
    job.refresh_from_db()
    assert job.status != Job.Status.DONE
    assert core_services.jobs_orphaned_fail() == 0  # the worker's heartbeat is still fresh
    later = timezone.now() + timedelta(minutes=6)
    assert core_services.jobs_orphaned_fail(now=later) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "worker stopped" in job.message
    assert job.input_data is None
    assert DBTaskResult.objects.get(task_path__endswith="import_upload").status == "FAILED"
    page = signed_in_client(job.owner).get(f"/jobs/{job.pk}/")
    assert "worker stopped" in page.content.decode()


def test_a_publication_killed_before_it_commits_publishes_nothing(actors, reference_data, tmp_path):
    round_ = round_open(actor=None, year=2025, deadline=date(2026, 6, 30))
    analyst = actors.by_role[Role.ANALYST]
    submission_validate(actor=analyst, submission=a_submitted(actors, round_))
    before = state_of("statistics")

    killed_at(
        {
            "operation": "publish",
            "actor": analyst.email,
            "year": 2025,
            "hang": "ctip.statistics.services:audit_record",
        },
        tmp_path,
    )

    assert state_of("statistics") == before
    round_.refresh_from_db()
    assert round_.state != RoundState.PUBLISHED and not round_.releases.exists()


def test_a_key_rotation_killed_midway_leaves_every_value_readable(actors, reference_data, tmp_path):
    worker = actors.by_role[Role.CASEWORKER]
    for n in range(3):
        a_case(worker, names=f"Person {n}")
    before = state_of("cases")

    killed_at({"operation": "rotate", "hang": "ctip.core.keys:audit_record"}, tmp_path)

    assert state_of("cases") == before  # every value still under the old key
    identities = apps.get_model("cases", "CaseIdentity").objects
    assert set(identities.values_list("names", flat=True)) == {f"Person {n}" for n in range(3)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT names FROM cases_caseidentity")
        stored = [row[0] for row in cursor.fetchall()]
    assert len(stored) == 3 and {key_id_of(value) for value in stored} == {"test-1"}


def test_a_database_gone_answers_503_and_health_says_so_until_it_is_back(actors, tmp_path):
    user = actors.by_role[Role.CASEWORKER]
    client = signed_in_client(user, raise_request_exception=False)
    assert client.get("/cases/").status_code == 200
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "gone" / "ctip.sqlite3")
    else:
        connection.settings_dict["PORT"] = 1  # nothing listens there
    try:
        page = client.get("/cases/")
        health = Client(raise_request_exception=False).get("/healthz")
        api = Client(raise_request_exception=False).get("/api/v1/public/statistics/2024")
    finally:
        connection.close()
        connection.settings_dict.update(saved)

    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert page["X-Request-ID"]  # a signed-in user's 503 keeps its id and its log line
    assert "cannot reach its database" in page.content.decode()
    assert "Traceback" not in page.content.decode()
    assert health.status_code == 503 and health.json()["database"]["status"] == "error"
    assert api.status_code == 503 and "database" in api.json()["detail"]
    assert client.get("/cases/").status_code == 200  # back, with no restart
    assert Client().get("/healthz").status_code == 200
