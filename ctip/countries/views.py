"""Pages of treaty status, national response and country profiles: public pages for everyone,
a desk for legal officers to import and correct."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.listing import export_if_asked, list_page
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.public_cache import public_page
from ctip.core.reference import country_name
from ctip.core.values import parse_whole_number
from ctip.core.views.pages import add_errors
from ctip.countries import exports, lists, policies, selectors, services
from ctip.countries.codes import Criminalization
from ctip.countries.forms import (
    MAX_UPLOAD_BYTES,
    ResponseForm,
    ResponseImportForm,
    TreatyImportForm,
)
from ctip.statistics import charts
from ctip.tabular import FileProblem, read_dicts

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _as_of(request: HttpRequest) -> datetime.date:
    try:
        return services.as_of_date(request.GET.get("as_of", "")[:10])
    except ValueError:
        return timezone.localdate()


def _year(request: HttpRequest) -> int:
    year = parse_whole_number(request.GET.get("year"), minimum=1000, maximum=9999)
    return year if year is not None else timezone.localdate().year - 1


def _download(body: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- public pages ------------------------------------------------------------------------


@public_page
def treaties(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    return render(
        request,
        "countries/treaties.html",
        {"summaries": selectors.instrument_summaries(as_of), "as_of": as_of},
    )


def treaty(request: HttpRequest, code: str) -> HttpResponse:
    instrument = selectors.instrument_get(code)
    as_of = _as_of(request)
    bound = list(selectors.parties(code, as_of))
    others = selectors.non_parties(code, as_of)
    party, not_party = _("Party"), _("Not a party")
    numeric = {s.country.numeric: party for s in bound if s.country is not None}
    numeric.update({c.numeric: not_party for c, _s in others})
    return render(
        request,
        "countries/treaty.html",
        {
            "instrument": instrument,
            "as_of": as_of,
            "parties": sorted(bound, key=lambda s: s.participant),
            "non_parties": sorted(others, key=lambda pair: country_name(pair[0])),
            "map": charts.world_map(
                numeric,
                title=str(instrument.short),
                value_title=_("Status"),
                categories=[party, not_party],
            )
            if bound
            else "",
        },
    )


def treaty_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    selectors.instrument_get(code)
    if fmt not in CONTENT_TYPES:
        raise not_found()
    rows = [exports.status_row(s) for s in selectors.treaty_statuses(code)]
    body = exports.to_csv(exports.STATUS_COLUMNS, rows) if fmt == "csv" else exports.to_json(rows)
    return _download(body, fmt, f"ctip-treaty-{code}")


def response_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise not_found()
    rows = [exports.response_row(r) for r in selectors.all_responses()]
    body = exports.to_csv(exports.RESPONSE_COLUMNS, rows) if fmt == "csv" else exports.to_json(rows)
    return _download(body, fmt, "ctip-national-response")


@public_page
def index(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    latest = selectors.latest_responses(year)
    labels = dict(Criminalization.choices)
    countries = [
        (country, latest.get(country.alpha3)) for country in selectors.countries_with_data()
    ]
    numeric = {
        c.numeric: str(labels[r.criminalization]) for c, r in countries if r and r.criminalization
    }
    return render(
        request,
        "countries/index.html",
        {
            "year": year,
            "figures": selectors.cross_country_figures(year),
            "countries": sorted(countries, key=lambda pair: country_name(pair[0])),
            "map": charts.world_map(
                numeric,
                title=_("Criminalization of trafficking"),
                value_title=_("Status"),
                categories=[str(label) for label in labels.values()],
            )
            if numeric
            else "",
        },
    )


@public_page
def profile(request: HttpRequest, alpha3: str) -> HttpResponse:
    country = selectors.country_get(alpha3)
    return render(
        request,
        "countries/profile.html",
        {"profile": selectors.country_profile(country, _as_of(request))},
    )


# --- desk: legal officers ----------------------------------------------------------------


def _rows(upload) -> list[tuple[int, dict[str, str]]]:  # type: ignore[no-untyped-def]
    if upload.size > MAX_UPLOAD_BYTES:
        raise FileProblem(_("The file is larger than 5 MB."))
    return read_dicts(upload.read(), upload.name, services.MAX_ROWS)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    policies.require_editor(user)
    treaty_form = TreatyImportForm(prefix="treaty")
    response_form = ResponseImportForm(prefix="response")
    report, problem = None, ""
    if request.method == "POST":
        kind = request.POST.get("kind")
        try:
            if kind == "treaty":
                treaty_form = TreatyImportForm(request.POST, request.FILES, prefix="treaty")
                if treaty_form.is_valid():
                    data = treaty_form.cleaned_data
                    report = services.treaty_status_import(
                        actor=user,
                        instrument=data["instrument"],
                        rows=_rows(data["file"]),
                        source=data["source"],
                        dry_run=data["dry_run"],
                    )
            elif kind == "response":
                response_form = ResponseImportForm(request.POST, request.FILES, prefix="response")
                if response_form.is_valid():
                    report = services.responses_import(
                        actor=user,
                        rows=_rows(response_form.cleaned_data["file"]),
                        dry_run=response_form.cleaned_data["dry_run"],
                    )
        except FileProblem as error:
            problem = str(error)
    responses = selectors.responses_for(user=user).select_related("country")
    listing = list_page(request, responses, lists.RESPONSES)
    if request.method == "GET":
        exported = export_if_asked(request, user, listing)
        if exported:
            return exported
    return render(
        request,
        "countries/manage.html",
        {
            "treaty_form": treaty_form,
            "response_form": response_form,
            "report": report,
            "problem": problem,
            "listing": listing,
        },
        status=400 if problem or (report and report.errors) else 200,
    )


@login_required
def response_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    policies.require_editor(user)
    response = selectors.response_get(user=user, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = ResponseForm(request.POST)
        if form.is_valid():
            try:
                saved = services.response_save(actor=user, raw=form.cleaned_data, response=response)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("countries:profile", alpha3=saved.country_id)
    else:
        form = ResponseForm(initial=exports.response_row(response) if response else {})
    return render(request, "countries/response_edit.html", {"form": form, "response": response})
