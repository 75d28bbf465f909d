"""Background imports: the uploaded file is kept on the Job row until the import has run."""

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ctip.core import services as core_services
from ctip.core.exports import csv_bytes
from ctip.core.models import Job, User
from ctip.core.policies import not_found
from ctip.statistics import policies, selectors, services
from ctip.statistics.importing import ImportResult, import_file

logger = logging.getLogger(__name__)


def error_report(result: ImportResult) -> bytes:
    return csv_bytes(
        ["row", "column", "value", "expected"],
        ([e.row, e.column, e.value, e.expected] for e in result.errors),
    )


def run_import(job: Job) -> ImportResult:
    """Run the import described by `job` and record its outcome on the job."""
    params = job.parameters
    round_ = selectors.round_get(year=params["year"])

    def progress(done: int, message: str) -> None:
        core_services.job_progress(
            job=job, done=done, total=max(2 * params.get("rows_hint", 0), done), message=message
        )

    try:
        result = import_file(
            actor=job.owner,
            entity=job.entity,
            round_=round_,
            data=bytes(job.input_data or b""),
            filename=job.input_name,
            layout_name=params.get("layout") or None,
            dry_run=bool(params.get("dry_run")),
            default_country=params.get("country") or None,
            progress=progress,
            encoding=params.get("encoding") or "",
        )
    except Exception:
        # A bug, not the file: the person gets a plain answer (nothing was written, the
        # import ran in one transaction), the administrators the traceback in the log.
        logger.exception("import job %s failed", job.pk)
        result = ImportResult(dry_run=bool(params.get("dry_run")))
        result.file_problem = _(
            "The import stopped on an unexpected problem; nothing was written. The "
            "administrators have been told; try again later or send the file to them."
        )
    job.progress_done = job.progress_total = result.rows
    ready = result.ok and result.dry_run  # kept for "import these rows", without a new upload
    core_services.job_finish(
        job=job,
        summary={**result.as_dict(), "ready": ready},
        keep_input=ready,
        result_name="import-errors.csv" if result.errors else "",
        content_type="text/csv; charset=utf-8" if result.errors else "",
        data=error_report(result) if result.errors else None,
    )
    return result


@transaction.atomic
def import_checked(*, actor: User, job: Job, task: Any | None) -> Job:
    """Import the file of a clean check: a new job takes the kept file (the check keeps
    none any more), so it is imported once; its rows are checked again as they are written."""
    policies.require(actor, policies.REPORTERS)  # still a reporter, as when the file was checked
    checked = Job.objects.select_for_update().get(pk=job.pk)
    if (
        checked.owner_id != actor.pk
        or checked.entity_id != actor.entity_id  # moved to another entity since the check
        or checked.kind != selectors.IMPORT_JOB
    ):
        raise not_found()
    kept = checked.input_data
    if kept is None or not checked.summary.get("ready") or checked.finished_at is None:
        raise ValidationError(
            _(
                "This check can no longer be imported (already imported, or older than a day): "
                "upload the file again."
            )
        )
    if timezone.now() - checked.finished_at > core_services.KEPT_INPUT:
        raise ValidationError(_("This check is older than a day: upload the file again."))
    services.require_open(selectors.round_get(year=checked.parameters["year"]))
    data = bytes(kept)
    checked.input_data = None
    checked.summary = {**checked.summary, "ready": False}
    checked.save(update_fields=["input_data", "summary"])
    return core_services.job_start(
        actor=actor,
        kind=selectors.IMPORT_JOB,
        parameters={**checked.parameters, "dry_run": False, "checked_by_job": str(checked.pk)},
        task=task,
        input_name=checked.input_name,
        input_data=data,
    )


@task()
def import_upload(job_id: str) -> None:
    run_import(Job.objects.select_related("owner", "entity").get(pk=job_id))
