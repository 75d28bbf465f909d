"""Pages of the surveys app: the entity's surveys and question bank, one survey with its
import, estimates, waves, map and publication; the public releases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.exports import csv_bytes, xlsx_bytes
from ctip.core.models import Country, User
from ctip.core.policies import not_found
from ctip.core.public_cache import public_page
from ctip.core.views.pages import add_errors
from ctip.statistics.charts import interval_chart, world_map
from ctip.surveys import policies, results, selectors, services, xlsform
from ctip.surveys.forms import EstimatesForm, IndicatorForm, ResponsesForm, SurveyForm
from ctip.surveys.models import Survey
from ctip.tabular import FileProblem, read_dicts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_PAGE_ROWS = 100_000  # a larger file goes through ctip import_survey


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    surveys = selectors.surveys_for(user=user)
    form = SurveyForm(
        request.POST if "define" in request.POST else None, bank=selectors.indicators()
    )
    question = IndicatorForm(request.POST if "question" in request.POST else None)
    try:
        if form.is_bound and form.is_valid():
            survey = services.survey_save(actor=user, entity=user.entity, raw=form.cleaned_data)
            messages.success(request, _("Survey %(code)s defined.") % {"code": survey.code})
            return redirect("surveys:detail", code=survey.code)
        if question.is_bound and question.is_valid():
            services.indicator_save(actor=user, raw=question.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("surveys:index")
    except ValidationError as error:
        add_errors(form if form.is_bound else question, error)
    return render(
        request,
        "surveys/index.html",
        {"surveys": surveys, "form": form, "question": question, "bank": selectors.indicators()},
    )


def _estimates_page(request: HttpRequest, survey: Survey, **extra: Any) -> HttpResponse:
    user = _user(request)
    outcomes = [code for code, _bits in results.outcomes_of(survey)]
    choose = EstimatesForm(request.GET or None, breakdowns=survey.breakdowns, outcomes=outcomes)
    by = indicator = ""
    if choose.is_valid():
        by, indicator = choose.cleaned_data["by"], choose.cleaned_data["indicator"]
    indicator = indicator or "any"
    page = results.page_for(user=user, survey=survey, by=by or None, indicator=indicator)
    found = page.estimates
    shown = [e for e in found if e.indicator == indicator and e.n]
    chart = (
        interval_chart(
            [
                (e.group, e.prevalence, e.ci_low, e.ci_high)
                for e in shown
                if e.prevalence is not None
            ],
            title=_("%(indicator)s, with 95 %% intervals") % {"indicator": indicator},
            value_title=_("Share of respondents"),
        )
        if shown
        else ""
    )
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "waves": page.respondents_by_wave,
            "estimates": found,
            "shown": shown,
            "chart": chart,
            "map": _map(page.by_country, indicator),
            "changes": page.changes,
            "choose": choose,
            "by": by,
            "indicator": indicator,
            "upload": extra.pop("upload", None) or ResponsesForm(),
            "may_publish": policies.may_publish(user, survey),
            "releases": survey.releases.all()[:10],
            "query": request.GET.urlencode(),
            **extra,
        },
    )


def _map(found: list[results.Estimate], indicator: str) -> str:
    numeric = dict(Country.objects.values_list("alpha3", "numeric"))
    values = {
        numeric[e.group]: round(100 * e.prevalence)
        for e in found
        if e.indicator == indicator
        and e.publishable
        and e.prevalence is not None
        and e.group in numeric
    }
    if not values:
        return ""
    return world_map(
        values, title=_("By country of interview"), value_title=_("Percent of respondents")
    )


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _estimates_page(request, selectors.survey_get(user=_user(request), code=code))


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    user = _user(request)
    survey = selectors.survey_get(user=user, code=code)
    if action == "publish":
        try:
            release = services.survey_publish(actor=user, survey=survey)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Published: %(n)s estimates.") % {"n": len(release.rows)})
        return redirect("surveys:detail", code=survey.code)
    if action != "import":
        raise not_found()
    upload = ResponsesForm(request.POST, request.FILES)
    report, problem = None, ""
    if upload.is_valid():
        file = upload.cleaned_data["file"]
        try:
            rows = read_dicts(file.read(), file.name, MAX_PAGE_ROWS)
            if xlsform.is_field_export(rows):
                rows = xlsform.plain_rows(survey, rows, upload.cleaned_data["wave"])
        except FileProblem as error:
            problem = str(error)
        else:
            report = services.responses_import(
                survey=survey, rows=rows, actor=user, dry_run=upload.cleaned_data["dry_run"]
            )
    return _estimates_page(request, survey, upload=upload, report=report, problem=problem)


@login_required
def form_download(request: HttpRequest, code: str) -> HttpResponse:
    survey = selectors.survey_get(user=_user(request), code=code)
    response = HttpResponse(xlsform.workbook_bytes(survey), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ctip-survey-{survey.code}.xlsx"'
    return response


EXPORTS: dict[str, tuple[Callable[..., bytes], str]] = {
    "csv": (csv_bytes, "text/csv; charset=utf-8"),
    "xlsx": (xlsx_bytes, XLSX),
}


@login_required
def export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    user = _user(request)
    survey = selectors.survey_get(user=user, code=code)
    if fmt not in EXPORTS:
        raise not_found()
    by = request.GET.get("by", "")
    if by and by not in survey.breakdowns:
        raise not_found()
    found = results.estimates_for(user=user, survey=survey, by=by or None)
    services.estimates_exported(actor=user, survey=survey, by=by, rows=len(found))
    writer, content_type = EXPORTS[fmt]
    body = writer(results.ESTIMATE_COLUMNS, (e.as_row() for e in found))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ctip-survey-{survey.code}.{fmt}"'
    return response


@public_page
def public(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/public.html", {"releases": selectors.latest_releases()})
