"""Pages of GLOTIP-framework reporting. Each parses input, calls a service or selector, renders."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core import services as core_services
from ctip.core.models import Country, Entity, User
from ctip.core.policies import not_found
from ctip.core.views.pages import add_errors
from ctip.statistics import charts, policies, selectors, services
from ctip.statistics.codes import Dimension, Indicator
from ctip.statistics.exports import WRITERS, export_statistics
from ctip.statistics.figures import (
    RoundFigures,
    area_rows,
    conviction_counts,
    flows,
    form_rows,
    round_figures,
)
from ctip.statistics.forms import (
    CommentForm,
    ExplainForm,
    ImportForm,
    PublishForm,
    RoundForm,
    StartSubmissionForm,
)
from ctip.statistics.importing import clear_identities_in
from ctip.statistics.layouts import CTIP_COLUMNS
from ctip.statistics.tasks import import_upload, run_import

SYNC_IMPORT_BYTES = 2 * 1024 * 1024

# The grid of the aggregate table: (indicator, sex, age) rows for dimension Total.
GRID_ROWS = [
    (indicator, sex, age)
    for indicator in Indicator.values
    for sex, age in (("_T", "_T"), ("F", "_T"), ("M", "_T"), ("_T", "Y0T17"), ("_T", "Y_GE18"))
]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def rounds_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, policies.READERS)
    coordinator = policies.sees_all_entities(user)
    form = RoundForm(request.POST or None)
    if request.method == "POST":
        policies.require(user, policies.COORDINATORS)
        if form.is_valid():
            try:
                round_ = services.round_open(actor=user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The %(year)s round is open.") % {"year": round_.year})
                return redirect("statistics:round", year=round_.year)
    return render(
        request,
        "statistics/rounds.html",
        {
            "rounds": selectors.rounds(),
            "form": form if coordinator else None,
            "trend": selectors.trend(user=user) if coordinator else [],
        },
    )


@login_required
def round_view(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    round_ = selectors.round_get(year=year)
    submissions = selectors.submissions_for(user=user).filter(round=round_)
    country = request.GET.get("country", "").upper()
    context: dict[str, Any] = {
        "round": round_,
        "country": country,
        "submissions": submissions.filter(country_of_detection_id=country)
        if country
        else submissions,
        "start_form": StartSubmissionForm(),
        "can_report": policies.holds(user, policies.REPORTERS),
    }
    if policies.sees_all_entities(user):
        counted = selectors.counted_submissions(user=user, round_=round_)
        raw = round_figures(counted)
        figures = round_figures(counted, deduplicate=True)
        context.update(
            {
                "regions": area_rows(figures, "region", raw),
                "subregions": area_rows(figures, "subregion", raw),
                "countries": area_rows(figures, "country", raw),
                "forms": form_rows(figures),
                "flows": flows(counted),
                "charts": _round_charts(figures),
                "convictions": conviction_counts(figures),
                "clusters": selectors.cluster_page(
                    user=user, round_=round_, number=request.GET.get("clusters", "1")
                ),
                "publish_form": PublishForm(),
                "formats": sorted(WRITERS),
                "releases": round_.releases.all(),
                "coverage": selectors.coverage(user=user, round_=round_),
                "entities": Entity.objects.filter(is_active=True).order_by("code"),
            }
        )
    return render(request, "statistics/round.html", context)


@login_required
@require_POST
def expected_view(request: HttpRequest, year: int) -> HttpResponse:
    """Analysts say who is expected to report which country of detection in a round."""
    user = _user(request)
    policies.require(user, policies.COORDINATORS)
    round_ = selectors.round_get(year=year)
    action = request.POST.get("action")
    if action == "propose":
        added = services.expected_propose(actor=user, round_=round_)
        messages.success(request, _("%(n)s expected submissions added.") % {"n": added})
    elif action == "remove":
        found = selectors.expected_get(
            user=user, round_=round_, expected_id=request.POST.get("expected", "")
        )
        services.expected_remove(actor=user, expected=found)
    else:
        entity = Entity.objects.filter(code=request.POST.get("entity", "")).first()
        country = Country.objects.filter(
            alpha3=request.POST.get("country", "").strip().upper()
        ).first()
        if entity is None or country is None:
            messages.error(request, _("Choose an entity and an ISO alpha-3 country code."))
        else:
            services.expected_add(actor=user, round_=round_, entity=entity, country=country)
    return redirect(reverse("statistics:round", kwargs={"year": year}) + "#coverage")


def _round_charts(figures: RoundFigures) -> dict[str, str]:
    """The detected-victims map and regional bars of a round (de-duplicated figures)."""
    if not figures.cells:
        return {}
    numeric = dict(Country.objects.values_list("alpha3", "numeric"))
    victims = {
        numeric[code]: figures.value(code, Indicator.DETECTED_VICTIMS)
        for code in figures.countries()
    }
    regions = [(row.name, row.victims) for row in area_rows(figures, "region")]
    return {
        "map": charts.world_map(
            victims, title=_("Detected victims by country of detection"), value_title=_("Victims")
        ),
        "regions": charts.bar_chart(
            regions, title=_("Detected victims by region"), value_title=_("Victims")
        ),
    }


@login_required
@require_POST
def submission_start_view(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    round_ = selectors.round_get(year=year)
    form = StartSubmissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a country of detection."))
        return redirect("statistics:round", year=year)
    try:
        submission = services.submission_start(
            actor=user, round_=round_, country=form.cleaned_data["country"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("statistics:round", year=year)
    return redirect("statistics:submission", submission_id=submission.pk)


def _grid(user: User, submission: Any, dimension: str, added: str = "") -> list[dict[str, Any]]:
    """The cells of one dimension: indicator × sex/age × category, as typed so far."""
    cells = {
        (c.indicator, c.sex, c.age, c.category): c
        for c in selectors.cells_of(user=user, submission=submission, dimension=dimension)
    }
    countries = {key[3] for key in cells if len(key[3]) == 3 and key[3].isupper()}
    if added:
        countries.add(added)
    rows = []
    for category in services.categories(dimension, sorted(countries)):
        for indicator, sex, age in GRID_ROWS:
            cell = cells.get((indicator, sex, age, category))
            shown = ""
            if cell is not None:
                shown = (
                    str(cell.value)
                    if cell.value is not None
                    else ("n/a" if cell.value_status == "not_applicable" else "")
                )
            rows.append(
                {
                    "indicator": indicator,
                    "sex": sex,
                    "age": age,
                    "category": category,
                    "value": shown,
                    "name": f"cell|{indicator}|{sex}|{age}|{category}",
                }
            )
    return rows


def _dimension(request: HttpRequest) -> str:
    value = request.GET.get("dimension") or request.POST.get("dimension") or Dimension.TOTAL
    return value if value in Dimension.values else Dimension.TOTAL


@login_required
def submission_view(request: HttpRequest, submission_id: int) -> HttpResponse:
    user = _user(request)
    submission = selectors.submission_get(user=user, submission_id=submission_id)
    findings = services.submission_findings(submission)
    explained = {(e.rule, e.cell): e for e in submission.explanations.all()}
    dimension = _dimension(request)
    added = request.GET.get("add", "").strip().upper()[:3]
    if added and not Country.objects.filter(alpha3=added).exists():
        messages.error(
            request, _("“%(code)s” is not an ISO alpha-3 country code.") % {"code": added}
        )
        added = ""
    return render(
        request,
        "statistics/submission.html",
        {
            "submission": submission,
            "events": submission.events.select_related("actor"),
            "findings": [(f, explained.get((f.rule, f.cell))) for f in findings],
            "grid": _grid(user, submission, dimension, added),
            "dimension": dimension,
            "dimensions": Dimension.choices,
            "added": added,
            "editable": policies.may_edit_submission(user, submission),
            "can_submit": policies.may_submit(user, submission),
            "can_review": policies.may_review(user, submission),
            "comment_form": CommentForm(),
            "record_count": submission.record_count,
        },
    )


def _act(
    request: HttpRequest,
    submission_id: int,
    action: Callable[[User, Any], str],
    query: str = "",
) -> HttpResponse:
    """Run one step on a submission, all or nothing, and go back to its page."""
    user = _user(request)
    submission = selectors.submission_get(user=user, submission_id=submission_id)
    try:
        with transaction.atomic():
            messages.success(request, action(user, submission))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    url = reverse("statistics:submission", kwargs={"submission_id": submission_id})
    return redirect(url + query)


@login_required
@require_POST
def submission_grid(request: HttpRequest, submission_id: int) -> HttpResponse:
    def save(user: User, submission: Any) -> str:
        dimension = _dimension(request)
        changed = 0
        for key in request.POST:
            if not key.startswith("cell|"):
                continue
            raw = request.POST.get(key, "")
            parts = key.split("|", 4)
            if len(parts) != 5 or tuple(parts[1:4]) not in GRID_ROWS:
                raise ValidationError(_("Unknown cell."))
            _prefix, indicator, sex, age, category = parts
            current = (
                selectors.cells_of(user=user, submission=submission, dimension=dimension)
                .filter(indicator=indicator, sex=sex, age=age, category=category)
                .first()
            )
            if current is None and not raw.strip():
                continue
            services.cell_set(
                actor=user,
                submission=submission,
                indicator=indicator,
                sex=sex,
                age=age,
                dimension=dimension,
                category=category,
                raw=raw,
            )
            changed += 1
        return _("%(n)s cells saved.") % {"n": changed}

    return _act(request, submission_id, save, "?" + urlencode({"dimension": _dimension(request)}))


@login_required
@require_POST
def submission_submit(request: HttpRequest, submission_id: int) -> HttpResponse:
    def submit(user: User, submission: Any) -> str:
        services.submission_submit(actor=user, submission=submission)
        return _("Submitted for validation.")

    return _act(request, submission_id, submit)


@login_required
@require_POST
def submission_explain(request: HttpRequest, submission_id: int) -> HttpResponse:
    form = ExplainForm(request.POST)

    def explain(user: User, submission: Any) -> str:
        if not form.is_valid():
            raise ValidationError(_("Write an explanation."))
        services.warning_explain(actor=user, submission=submission, **form.cleaned_data)
        return _("Explanation saved.")

    return _act(request, submission_id, explain)


@login_required
@require_POST
def submission_review(request: HttpRequest, submission_id: int, decision: str) -> HttpResponse:
    form = CommentForm(request.POST)

    def review(user: User, submission: Any) -> str:
        if decision == "validate":
            services.submission_validate(actor=user, submission=submission)
            return _("Validated.")
        if decision == "return":
            comment = form.cleaned_data["comment"] if form.is_valid() else ""
            services.submission_return(actor=user, submission=submission, comment=comment)
            return _("Returned to the focal point.")
        raise not_found()

    return _act(request, submission_id, review)


@login_required
def import_view(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    policies.require(user, policies.REPORTERS)
    round_ = selectors.round_get(year=year)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        country = form.cleaned_data["country"]
        parameters = {
            "rows_hint": 0,
            "year": round_.year,
            "layout": form.cleaned_data["layout"],
            "dry_run": form.cleaned_data["dry_run"],
            "country": country.alpha3 if country else "",
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


@login_required
@require_POST
def publish_view(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    policies.require(user, policies.REVIEWERS)
    round_ = selectors.round_get(year=year)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("statistics:round", year=year)
    try:
        release = services.round_publish(
            actor=user,
            round_=round_,
            threshold=form.cleaned_data["threshold"],
            epsilon=form.cleaned_data["epsilon"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Published version %(v)s.") % {"v": release.version})
    return redirect("statistics:round", year=year)


def download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_view(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    user = _user(request)
    policies.require(user, policies.COORDINATORS)
    if fmt not in WRITERS:
        raise not_found()
    return download(
        *export_statistics(actor=user, round_=selectors.round_get(year=year), fmt=fmt, public=False)
    )


@login_required
@require_POST
def dedup_run_view(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    policies.require(user, policies.REVIEWERS)
    found = services.dedup_run(actor=user, round_=selectors.round_get(year=year))
    messages.success(request, _("%(n)s clusters of probable duplicates proposed.") % {"n": found})
    return redirect("statistics:round", year=year)


@login_required
@require_POST
def dedup_decide_view(request: HttpRequest, cluster_id: int) -> HttpResponse:
    user = _user(request)
    cluster = selectors.cluster_get(user=user, cluster_id=cluster_id)
    services.dedup_decide(
        actor=user, cluster=cluster, same_person=request.POST.get("decision") == "same"
    )
    return redirect("statistics:round", year=cluster.round.year)
