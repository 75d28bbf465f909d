"""Background jobs of the core app. Each takes a Job id and reports progress on that row."""

from collections.abc import Iterator

from django.db import transaction
from django_tasks import task

from ctip.core import services
from ctip.core.audit import AuditAction, audit_record
from ctip.core.exports import csv_bytes
from ctip.core.models import Job
from ctip.core.selectors import AuditFilter, audit_events_for

PROGRESS_EVERY = 500
AUDIT_EXPORT_HEADER = [
    "sequence",
    "created_at",
    "actor",
    "entity",
    "action",
    "object_type",
    "object_id",
    "details",
    "ip_address",
    "prev_hash",
    "hash",
]


@task()
def export_audit_log(job_id: str) -> None:
    job = Job.objects.select_related("owner").get(pk=job_id)
    try:
        filters = AuditFilter(
            **{k: v for k, v in job.parameters.items() if k in {"action", "actor", "entity"}}
        )
        events = audit_events_for(user=job.owner, filters=filters).order_by("sequence")
        total = events.count()
        services.job_progress(job=job, done=0, total=total)

        def rows() -> Iterator[list[object]]:
            for done, event in enumerate(events.iterator(chunk_size=2000), start=1):
                yield [
                    event.sequence,
                    event.created_at.isoformat(),
                    event.actor_label,
                    event.entity.code if event.entity else "",
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.details,
                    event.ip_address,
                    event.prev_hash,
                    event.hash,
                ]
                if done % PROGRESS_EVERY == 0:
                    services.job_progress(job=job, done=done, total=total)

        data = csv_bytes(AUDIT_EXPORT_HEADER, rows())
        with transaction.atomic():
            services.job_finish(
                job=job,
                result_name="ctip-audit-log.csv",
                content_type="text/csv; charset=utf-8",
                data=data,
            )
            audit_record(
                actor=job.owner,
                action=AuditAction.EXPORT,
                target=job,
                details={"kind": "audit_log", "rows": total},
            )
    except Exception as error:
        services.job_finish(job=job, error=f"{type(error).__name__}: {error}")
        raise
