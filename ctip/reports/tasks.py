"""The report built in the background: the page starts a job, the worker renders it."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from ctip.core import services as core_services
from ctip.core.models import Job
from ctip.reports.fonts import FontMissing
from ctip.reports.render import record_built, render

logger = logging.getLogger(__name__)


def run_build(job: Job) -> None:
    params = job.parameters
    core_services.job_progress(job=job, done=0, total=2, message=_("Gathering the figures"))
    try:
        rendered = render(year=params["year"], language=params["language"], output=params["output"])
    except FontMissing as missing:
        logger.error("report job %s: %s", job.pk, missing)
        core_services.job_finish(
            job=job,
            error=_("A font the report needs is not installed; the administrators have been told."),
        )
        return
    except Exception:
        logger.exception("report job %s failed", job.pk)
        core_services.job_finish(
            job=job,
            error=_(
                "The report could not be made; the administrators have been told. Try again later."
            ),
        )
        return
    with transaction.atomic():
        core_services.job_finish(
            job=job,
            result_name=rendered.filename,
            content_type=rendered.content_type,
            data=rendered.data,
            summary={
                "missing_texts": rendered.report.missing_texts,
                "notes": len(rendered.report.notes),
            },
        )
        record_built(actor=job.owner, rendered=rendered, output=params["output"])


@task()
def build_report(job_id: str) -> None:
    run_build(Job.objects.select_related("owner", "entity").get(pk=job_id))
