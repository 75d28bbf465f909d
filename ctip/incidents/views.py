"""Pages of the incidents app: the monitors' register, an incident with its verification
and abductees, imports, parties, patterns; the focal point's report to the statistics; the
public figures. Each page parses input, calls a selector or a service, renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.cases import selectors as cases_selectors
from ctip.core.exports import csv_bytes, xlsx_bytes
from ctip.core.listing import export_if_asked, list_page
from ctip.core.models import Entity, User
from ctip.core.policies import not_found
from ctip.core.public_cache import public_page
from ctip.core.selectors import conflict_situations
from ctip.core.views.pages import add_errors
from ctip.incidents import lists, patterns, policies, selectors, services, xlsform
from ctip.incidents.codes import FREE, AbducteeStatus, Violation, violation_labels
from ctip.incidents.forms import (
    AbducteeForm,
    AbducteeStatusForm,
    DecideForm,
    ImportForm,
    IncidentForm,
    ListingForm,
    PartyForm,
    PeriodForm,
    ReferForm,
    ReportForm,
)
from ctip.statistics.charts import bar_chart, points_map
from ctip.tabular import FileProblem, read_dicts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The page imports while the person waits, so that a file of narratives and sources is never
# kept (a background job would store it in clear); larger files go through the command.
MAX_PAGE_ROWS = 50_000


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The register, to find and export; an unknown `status` or `situation` finds nothing
    (the selector), the other filters are the list's (`lists.INCIDENTS`)."""
    user = _user(request)
    incidents = selectors.incidents_for(
        user=user,
        status=request.GET.get("status", ""),
        situation=request.GET.get("situation", ""),
    )
    listing = list_page(request, incidents, lists.INCIDENTS)
    return export_if_asked(request, user, listing) or render(
        request,
        "incidents/index.html",
        {"listing": listing, "awaiting": selectors.awaiting_decision(user=user)[:50]},
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require_monitor(user)
    form = IncidentForm(
        request.POST or None,
        situations=conflict_situations(),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_record(actor=user, raw=form.raw())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Recorded as %(ref)s.") % {"ref": incident.reference})
            return redirect("incidents:detail", pk=incident.pk)
    return render(request, "incidents/new.html", {"form": form})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an incident not yet decided (its narrative and sources stay as recorded)."""
    user = _user(request)
    incident = selectors.incident_get(user=user, incident_id=pk)
    form = IncidentForm(
        request.POST or None,
        situations=conflict_situations(),
        initial=services.editable_values(incident),
        details=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_update(actor=user, incident=incident, raw=form.raw())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("incidents:detail", pk=incident.pk)
    return render(request, "incidents/edit.html", {"form": form, "incident": incident})


def _detail(request: HttpRequest, incident: Any, **extra: Any) -> HttpResponse:
    user = _user(request)
    abductees = selectors.abductees_of(user=user, incident=incident)
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "abductees": abductees,
            "may_decide": policies.may_decide(user, incident),
            "decide_form": DecideForm(initial={"decided_on": timezone.localdate()}),
            "abductee_form": AbducteeForm(),
            "status_form": AbducteeStatusForm(initial={"status_on": timezone.localdate()}),
            "free": FREE,
            "has_abduction": Violation.ABDUCTION in incident.violation_codes,
            **extra,
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.incident_get(user=_user(request), incident_id=pk))


INCIDENT_ACTIONS = {"start", "decide", "details", "abductee"}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    incident = selectors.incident_get(user=user, incident_id=pk)
    if action not in INCIDENT_ACTIONS:
        raise not_found()
    try:
        if action == "details":  # shown in this answer only, never kept
            return _detail(
                request, incident, details=services.details_view(actor=user, incident=incident)
            )
        if action == "start":
            services.verification_start(actor=user, incident=incident)
        elif action == "decide":
            services.verification_decide(actor=user, incident=incident, raw=request.POST.dict())
        else:
            services.abductee_add(actor=user, incident=incident, raw=request.POST.dict())
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Saved."))
    return redirect("incidents:detail", pk=incident.pk)


@login_required
def abductees(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = request.GET.get("status", "")
    return render(
        request,
        "incidents/abductees.html",
        {
            "abductees": selectors.abductees_for(user=user, status=status)[:1000],
            "statuses": AbducteeStatus.choices,
            "status": status,
        },
    )


def _refer_form(user: User, data: Any = None) -> ReferForm:
    return ReferForm(
        data,
        entities=[user.entity, *cases_selectors.providers_for(user=user)],
        caseworkers=cases_selectors.caseworkers_for(user=user),
        initial={"consent_date": timezone.localdate()},
    )


ABDUCTEE_ACTIONS = {"status", "refer", "identity"}


@login_required
def abductee(request: HttpRequest, pk: int, action: str = "") -> HttpResponse:
    user = _user(request)
    found = selectors.abductee_get(user=user, abductee_id=pk)
    if action and (action not in ABDUCTEE_ACTIONS or request.method != "POST"):
        raise not_found()
    identity, form = None, _refer_form(user, request.POST if action == "refer" else None)
    try:
        if action == "identity":  # shown in this answer only, never kept
            identity = services.abductee_identity_view(actor=user, abductee=found)
        elif action == "status":
            services.abductee_status(actor=user, abductee=found, raw=request.POST.dict())
            messages.success(request, _("Saved."))
            return redirect("incidents:abductee", pk=found.pk)
        elif action == "refer" and form.is_valid():
            to = Entity.objects.get(code=form.cleaned_data["to_entity"])
            case = services.abductee_refer(
                actor=user, abductee=found, to_entity=to, raw=form.cleaned_data
            )
            messages.success(request, _("Referred: case %(ref)s opened.") % {"ref": case.reference})
            return redirect("incidents:abductee", pk=found.pk)
    except ValidationError as error:
        if action == "refer":
            add_errors(form, error)
        else:
            for text in error.messages:
                messages.error(request, text)
    return render(
        request,
        "incidents/abductee.html",
        {
            "abductee": found,
            "identity": identity,
            "status_form": AbducteeStatusForm(initial={"status_on": timezone.localdate()}),
            "refer_form": form,
            "free": found.status in FREE,
        },
    )


@login_required
def import_incidents(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require_monitor(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report, problem = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_dicts(upload.read(), upload.name, MAX_PAGE_ROWS)
            if xlsform.is_field_export(rows):
                rows = xlsform.template_rows(rows)
        except FileProblem as error:
            problem = str(error)
        else:
            report = services.incidents_import(
                entity=user.entity,
                rows=rows,
                actor=user,
                dry_run=form.cleaned_data["dry_run"],
                create_parties=form.cleaned_data["create_parties"],
            )
    return render(
        request,
        "incidents/import.html",
        {
            "form": form,
            "report": report,
            "problem": problem,
            "columns": services.COLUMNS,
            "optional": services.OPTIONAL,
            "max_rows": f"{MAX_PAGE_ROWS:,}",
        },
    )


@login_required
def form_download(request: HttpRequest) -> HttpResponse:
    policies.require_monitor(_user(request))
    response = HttpResponse(xlsform.workbook_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="ctip-incident-form.xlsx"'
    return response


@login_required
def parties(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    situation = request.GET.get("situation", "")
    found = selectors.parties_for(user=user, situation=situation)
    form = PartyForm(request.POST or None, situations=conflict_situations())
    if request.method == "POST":
        policies.require_monitor(user)
        if form.is_valid():
            try:
                party = services.party_save(actor=user, raw=form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("incidents:party", pk=party.pk)
    return render(
        request,
        "incidents/parties.html",
        {
            "parties": found,
            "form": form,
            "situations": conflict_situations(),
            "situation": situation,
            "may_edit": user.has_role(*policies.MONITORS),
        },
    )


@login_required
def party(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = selectors.party_get(user=user, party_id=pk)
    form = ListingForm(request.POST or None)
    if request.method == "POST":
        policies.require_monitor(user)
        if form.is_valid():
            try:
                services.listing_save(actor=user, party=found, raw=form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("incidents:party", pk=found.pk)
    return render(
        request,
        "incidents/party.html",
        {
            "party": found,
            "listings": selectors.listings_of(user=user, party=found),
            "evidence": patterns.evidence(selectors.counted_for(user=user), found),
            "form": form,
            "may_edit": user.has_role(*policies.MONITORS),
        },
    )


def _period(request: HttpRequest) -> tuple[Any, Any]:
    form = PeriodForm(request.GET or None)
    if form.is_valid():
        return form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return None, None


@login_required
def patterns_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    verified = selectors.patterns_for(user=user)
    date_from, date_to = _period(request)
    rows = patterns.pattern_rows(verified, date_from, date_to)
    trends = patterns.trends(rows)
    years = sorted({row.year for row in rows})
    names = dict(zip(trends, violation_labels(list(trends)), strict=True))
    totals = [(names[v], sum(y.values())) for v, y in trends.items()]
    return render(
        request,
        "incidents/patterns.html",
        {
            "rows": rows,
            "years": years,
            "trends": [(names[v], [trends[v].get(y, 0) for y in years]) for v in trends],
            "areas": patterns.by_area(verified, date_from, date_to)[:200],
            "map": _map(patterns.points(verified, date_from, date_to)),
            "chart": bar_chart(
                totals,
                title=_("Verified incidents by violation"),
                value_title=_("Verified incidents"),
            )
            if totals
            else "",
            "period": PeriodForm(request.GET or None),
            "all_entities": policies.is_analyst(user),
            "query": request.GET.urlencode(),
        },
    )


def _map(points: list[tuple[float, float, int]]) -> str:
    if not points:
        return ""
    return points_map(
        points, title=_("Verified incidents with coordinates"), size_title=_("Victims")
    )


EXPORTS: dict[str, tuple[Callable[..., bytes], str]] = {
    "csv": (csv_bytes, "text/csv; charset=utf-8"),
    "xlsx": (xlsx_bytes, XLSX),
}


@login_required
def patterns_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user = _user(request)
    verified = selectors.patterns_for(user=user)
    if fmt not in EXPORTS:
        raise not_found()
    date_from, date_to = _period(request)
    rows = patterns.pattern_rows(verified, date_from, date_to)
    services.patterns_exported(actor=user, rows=len(rows), fmt=fmt)
    writer, content_type = EXPORTS[fmt]
    response = HttpResponse(
        writer(patterns.PATTERN_COLUMNS, (row.as_list() for row in rows)), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="ctip-incident-patterns.{fmt}"'
    return response


@login_required
def report(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require_reporter(user)
    form = ReportForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            done = services.incidents_report(
                actor=user,
                year=form.cleaned_data["year"],
                linkage_secret=form.cleaned_data["linkage_secret"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(records)s records from %(incidents)s verified abductions put into the "
                    "round (%(keyed)s with a linkage key)."
                )
                % {
                    "records": done.records,
                    "incidents": done.incidents,
                    "keyed": done.with_linkage_key,
                },
            )
            return redirect("incidents:report")
    return render(request, "incidents/report.html", {"form": form})


@public_page
def public(request: HttpRequest) -> HttpResponse:
    """Verified incidents per situation and year, and verified abductions by party: both
    from one disclosure control (`ctip.incidents.public`)."""
    rows, k = patterns.public_figures()
    abductions, _k = patterns.public_abductions()
    return render(
        request,
        "incidents/public.html",
        {"rows": rows, "abductions": abductions, "threshold": k},
    )
