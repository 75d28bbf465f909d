"""The import pages: a file is checked, then imported with one click (the file kept since the
check), and the CTIP template to fill in."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core import services as core_services
from ctip.core.models import User
from ctip.statistics import policies, selectors, services
from ctip.statistics.forms import ImportForm
from ctip.statistics.importing import clear_identities_in
from ctip.statistics.layouts import CTIP_COLUMNS
from ctip.statistics.tasks import import_checked, import_upload, run_import

SYNC_IMPORT_BYTES = 2 * 1024 * 1024


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def import_view(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    policies.require(user, policies.REPORTERS)
    round_ = selectors.round_get(year=year)
    try:
        services.require_open(round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("statistics:round", year=year)
    core_services.job_inputs_expire()  # also without a worker, no file is kept past a day
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parameters = {
            "rows_hint": 0,
            "year": round_.year,
            "layout": form.cleaned_data["layout"],
            "dry_run": not form.cleaned_data["import_at_once"],
            "country": form.cleaned_data["country"],
            "encoding": form.cleaned_data["encoding"],
        }
        data = upload.read()
        refused = clear_identities_in(data, upload.name or "", parameters["encoding"])
        if refused:  # refused before the file is stored in a job
            form.add_error("file", refused)
            return render(request, "statistics/import.html", {"round": round_, "form": form})
        parameters["rows_hint"] = data.count(b"\n")  # for the progress bar; exact for CSV
        large = len(data) > SYNC_IMPORT_BYTES
        job = core_services.job_start(
            actor=user,
            kind=selectors.IMPORT_JOB,
            parameters=parameters,
            task=import_upload if large else None,
            input_name=upload.name,
            input_data=data,
        )
        if not large:
            run_import(job)
        return redirect("statistics:import_result", job_id=job.id)
    return render(request, "statistics/import.html", {"round": round_, "form": form})


@login_required
@require_POST
def import_confirm(request: HttpRequest, job_id: str) -> HttpResponse:
    """Import the rows of a clean check, from the file kept since the check."""
    checked = _import_job(request, job_id)
    large = len(checked.input_data or b"") > SYNC_IMPORT_BYTES
    try:
        job = import_checked(
            actor=_user(request), job=checked, task=import_upload if large else None
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("statistics:import_result", job_id=checked.pk)
    if not large:
        run_import(job)
    return redirect("statistics:import_result", job_id=job.id)


@login_required
def import_result(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _import_job(request, job_id)
    template = (
        "statistics/_import_result.html"
        if request.headers.get("HX-Request")
        else "statistics/import_result.html"
    )
    return render(request, template, {"job": job, "summary": job.summary})


def _import_job(request: HttpRequest, job_id: str) -> Any:
    return selectors.import_job_get(user=_user(request), job_id=job_id)


@login_required
def template_view(request: HttpRequest, year: int) -> HttpResponse:
    """The CTIP template for a round: a records sheet, and the code lists on a second sheet."""
    from openpyxl import Workbook

    from ctip.core.codes import CODE_LISTS

    policies.require(_user(request), policies.READERS)
    round_ = selectors.round_get(year=year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "records"
    sheet.append(CTIP_COLUMNS)
    codes = workbook.create_sheet("code lists")
    codes.append(["list", "code", "label"])
    for name in (
        "sex",
        "age-band",
        "form-of-exploitation",
        "means-of-control",
        "recruiter-relation",
        "trafficking-status",
        "status-decided-by",
        "displacement-status",
    ):
        for value, label in CODE_LISTS[name].choices:
            codes.append([name, value, str(label)])
    notes = workbook.create_sheet("read me")
    for line in (
        _("One row per victim. Never write names or other identities in this file."),
        _("year_of_identification must be %(year)s.") % {"year": round_.year},
        _("Countries: ISO 3166 codes (IRQ, SY or 760). Several codes: separate with ';'."),
        _("record_id: optional UUID; importing the same id again updates the record."),
    ):
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
    response["Content-Disposition"] = f'attachment; filename="ctip-template-{year}.xlsx"'
    return response
