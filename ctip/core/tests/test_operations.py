"""What operators see: request ids, one log line per request without its query string, JSON
logs, and the Prometheus endpoint behind its token, with the alerts written against it."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
import yaml
from django.test import Client

from ctip.core.codes import Role
from ctip.core.models import Backup
from ctip.core.observability import JsonFormatter, RequestIdFilter, request_id
from ctip.core.testing import signed_in_client

pytestmark = pytest.mark.django_db
ALERTS = Path(__file__).parents[3] / "deploy" / "prometheus-alerts.yml"
TOKEN = "scrape-token-0123456789"


@pytest.fixture
def scraper(settings):
    settings.CTIP_METRICS_TOKEN = TOKEN
    return Client(headers={"Authorization": f"Bearer {TOKEN}"})


def test_each_response_carries_a_request_id_and_a_good_given_one_is_kept():
    first = Client().get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    kept = Client(headers={"X-Request-ID": "proxy-42.a"}).get("/healthz")
    assert kept["X-Request-ID"] == "proxy-42.a"
    odd = Client(headers={"X-Request-ID": 'x" <script>'}).get("/healthz")
    assert odd["X-Request-ID"] != 'x" <script>'


def test_a_request_is_logged_once_by_path_never_with_its_query(actors, caplog):
    client = signed_in_client(actors.by_role[Role.CASEWORKER])
    with caplog.at_level(logging.INFO, logger="ctip.request"):
        response = client.get("/cases/?q=Amina+Yusuf")
    lines = [r for r in caplog.records if r.name == "ctip.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line.route == "cases/" and line.status == 200 and line.path == "/cases/"
    assert line.user_id == actors.by_role[Role.CASEWORKER].pk
    assert "Amina" not in line.getMessage() and "Amina" not in json.dumps(vars(line), default=str)
    assert response["X-Request-ID"]


def test_json_lines_carry_the_request_id_and_the_fields():
    formatter, stamp = JsonFormatter(), RequestIdFilter()
    token = request_id.set("req-1")
    try:
        record = logging.makeLogRecord(
            {"name": "ctip.request", "levelname": "INFO", "msg": "GET %s", "args": ("/x",)}
        )
        record.status = 200
        stamp.filter(record)
    finally:
        request_id.reset(token)
    entry = json.loads(formatter.format(record))
    assert entry["request_id"] == "req-1" and entry["message"] == "GET /x"
    assert entry["status"] == 200 and entry["logger"] == "ctip.request"
    assert entry["time"].endswith("+00:00")


def test_metrics_exist_only_for_the_scraper_with_the_token(actors, settings):
    assert Client().get("/metrics").status_code == 404  # no token set: no endpoint
    settings.CTIP_METRICS_TOKEN = TOKEN
    assert Client().get("/metrics").status_code == 404
    wrong = Client(headers={"Authorization": "Bearer nope"})
    assert wrong.get("/metrics").status_code == 404
    admin = signed_in_client(actors.by_role[Role.ADMINISTRATOR])
    assert admin.get("/metrics").status_code == 404  # a session is not a scraper
    unverified = signed_in_client(actors.by_role[Role.ANALYST], verified=False)
    assert unverified.get("/metrics").status_code in {302, 404}


def test_metrics_count_requests_by_route_and_read_jobs_and_backups(actors, scraper):
    signed_in_client(actors.by_role[Role.CASEWORKER]).get("/cases/?q=Amina")
    Backup.objects.create(vendor="sqlite", location="/b", size_bytes=1, sha256="0" * 64)

    text = scraper.get("/metrics").content.decode()

    assert re.search(r'ctip_http_requests_total\{method="GET",route="cases/",status="200"\}', text)
    assert "ctip_http_request_duration_seconds_bucket" in text
    assert 'ctip_jobs{status="failed"} 0.0' in text
    assert "ctip_database_up 1.0" in text
    assert re.search(r"ctip_last_backup_timestamp_seconds \d\.\d+e\+09", text)
    assert "Amina" not in text and "/cases/?" not in text


def test_every_alert_reads_a_metric_that_ctip_exports(scraper):
    Client().get("/healthz")
    exported = set(
        re.findall(r"^(ctip_\w+?)(?:\{| )", scraper.get("/metrics").content.decode(), re.M)
    )
    rules = yaml.safe_load(ALERTS.read_text())["groups"][0]["rules"]
    used = {name for rule in rules for name in re.findall(r"\bctip_\w+", rule["expr"])}
    assert used and used <= exported, used - exported
    assert all(rule["annotations"]["summary"] for rule in rules)


def test_django_s_own_error_lines_carry_the_request_id_and_never_the_query(caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = Client().get("/no/such/page/?q=Amina+Yusuf")
    record = next(r for r in caplog.records if r.name == "django.request")
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert record.request_id == response["X-Request-ID"]
    assert "Amina" not in line and json.loads(line)["status_code"] == 404


def test_a_worker_restarted_under_its_id_fails_what_it_was_running(
    actors, settings, django_capture_on_commit_callbacks
):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from ctip.core.models import Job, WorkerHeartbeat
    from ctip.core.services import job_start, jobs_orphaned_fail
    from ctip.core.tasks import export_audit_log

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    admin = actors.by_role[Role.ADMINISTRATOR]
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=admin, kind="audit_export", parameters={}, task=export_audit_log)
    DBTaskResult.objects.get().claim("worker-a")
    WorkerHeartbeat.objects.create(worker_id="worker-a", last_seen=timezone.now())

    assert jobs_orphaned_fail() == 0  # its worker beats: it is running
    assert jobs_orphaned_fail(restarted="worker-b") == 0  # another worker's start
    assert jobs_orphaned_fail(restarted="worker-a") == 1  # worker-a started again

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and DBTaskResult.objects.get().status == "FAILED"
