"""What operators see of a running CTIP: one log line per request with its request id, logs
as JSON when CTIP_LOG_FORMAT=json, and metrics for Prometheus at /metrics.

Nothing here ever holds a query string, a form field or a name: a list's search box may hold
a victim's name, so a request is logged and counted by its path and route only.
"""

from __future__ import annotations

import contextvars
import hmac
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUEST_ID_HEADER = "X-Request-ID"
_GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# any other method a client invents is counted as "other": one time series, not one each
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
request_log = logging.getLogger("ctip.request")

REQUESTS = Counter("ctip_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "ctip_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class RequestMiddleware:
    """Outermost: give each request an id (a proxy's X-Request-ID when well formed, else a
    new one), return it in the response, time the request, count it, and log it once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex  # type: ignore[attr-defined]
        token = request_id.set(request.request_id)  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            route = route_of(request)
            method = request.method if request.method in KNOWN_METHODS else "other"
            REQUESTS.labels(method, route, str(response.status_code)).inc()
            LATENCY.labels(route).observe(seconds)
            response.headers[REQUEST_ID_HEADER] = request_id.get()
            # the user as already loaded, never loaded here: with the database gone, that
            # would raise out of this middleware and lose the request's line and id
            user = getattr(request, "_cached_user", None)
            request_log.info(
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                seconds * 1000,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id.reset(token)


def route_of(request: HttpRequest) -> str:
    """The URL pattern that answered ("cases/<int:pk>/"), never the path itself: one label
    per page, not per record, and no identifier in the metrics."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return str(match.route)[:120]
    return "static" if request.path.startswith(settings.STATIC_URL) else "unmatched"


class RequestIdFilter(logging.Filter):
    """Stamp every log record with the id of the request being answered ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx answer after the middleware has finished, with the request
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or request_id.get()
        return True


# Left out of JSON lines: the record's own attributes, and Django's `request`, whose text
# holds the query string (a name typed into a search box).
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "request"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, the record's
    extra fields, and the exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class DatabaseCollector(Collector):
    """Figures read from the database at each scrape, so every web process reports the same:
    jobs by status, tasks waiting, workers alive, and the last successful backup."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        from ctip.core.models import Backup, Job, WorkerHeartbeat
        from ctip.core.selectors import WORKER_ALIVE_SECONDS

        up = GaugeMetricFamily("ctip_database_up", "1 when the database answers")
        try:
            jobs = dict(Job.objects.values_list("status").annotate(n=Count("id")))
            waiting = DBTaskResult.objects.filter(status="READY")
            queued = waiting.count()
            oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
            cutoff = timezone.now() - timedelta(seconds=WORKER_ALIVE_SECONDS)
            workers = WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).count()
            last_backup = Backup.objects.values_list("taken_at", flat=True).first()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        by_status = GaugeMetricFamily("ctip_jobs", "Background jobs by status", labels=["status"])
        for status in Job.Status.values:
            by_status.add_metric([status], jobs.get(status, 0))
        yield by_status
        yield GaugeMetricFamily("ctip_tasks_queued", "Tasks waiting for a worker", value=queued)
        age = (timezone.now() - oldest).total_seconds() if oldest else 0
        yield GaugeMetricFamily(
            "ctip_oldest_queued_task_age_seconds", "How long the oldest task has waited", age
        )
        yield GaugeMetricFamily("ctip_workers_alive", "Workers with a recent heartbeat", workers)
        yield GaugeMetricFamily(
            "ctip_last_backup_timestamp_seconds",
            "When the last successful `ctip backup` finished (0: never)",
            last_backup.timestamp() if last_backup else 0,
        )


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format, for a scraper holding CTIP_METRICS_TOKEN as its bearer token.
    Without the setting the endpoint does not exist; a wrong token gets the same 404."""
    expected = settings.CTIP_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Http404
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # gunicorn's workers, added up
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(DatabaseCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
