"""Pages of the conduct app: the register and its allegations for conduct officers; vetting,
certifications and patterns; the public statistics and the anonymous report form."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.conduct import figures, lists, policies, selectors, services
from ctip.conduct.codes import ResponseStep
from ctip.conduct.forms import (
    AllegationForm,
    CertificationForm,
    CustodyForm,
    ExtendForm,
    InvestigationForm,
    PublicReportForm,
    PublicYearForm,
    ReferForm,
    UnitForm,
    UnitMergeForm,
    VettingForm,
)
from ctip.conduct.models import Allegation
from ctip.conduct.schemas import EXPORT_COLUMNS, allegation_row
from ctip.core.exports import csv_bytes, xlsx_bytes
from ctip.core.listing import export_if_asked, list_page
from ctip.core.models import Entity, User
from ctip.core.policies import not_found
from ctip.core.public_cache import public_page
from ctip.core.ratelimit import too_many
from ctip.core.views.pages import add_errors
from ctip.funds import services as funds

PUBLIC_REPORTS_PER_HOUR = 5


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The register, to find and export; an unknown `status` finds nothing (the selector)."""
    user = _user(request)
    allegations = selectors.allegations_for(user, status=request.GET.get("status", ""))
    listing = list_page(request, allegations, lists.ALLEGATIONS)
    exported = export_if_asked(request, user, listing)
    if exported:
        return exported
    today = timezone.localdate()
    rows = [
        (
            a,
            getattr(a, "investigation", None),
            getattr(a, "investigation", None) and a.investigation.days_left(today),
        )
        for a in listing.page
    ]
    return render(
        request,
        "conduct/register.html",
        {"rows": rows, "listing": listing, "system_wide": policies.is_system_wide(user)},
    )


EXPORTS: dict[str, tuple[Callable[..., bytes], str]] = {
    "csv": (csv_bytes, "text/csv; charset=utf-8"),
    "xlsx": (xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The register without any identity, as CSV or XLSX."""
    allegations = selectors.allegations_for(_user(request))
    if fmt not in EXPORTS:
        raise not_found()
    writer, content_type = EXPORTS[fmt]
    body = writer(
        EXPORT_COLUMNS,
        ([allegation_row(a)[c] for c in EXPORT_COLUMNS] for a in allegations.order_by("reference")),
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ctip-allegations.{fmt}"'
    return response


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    selectors.allegations_for(user)  # conduct officers only
    form = AllegationForm(
        request.POST or None,
        initial={"reported_on": timezone.localdate()},
        units=selectors.unit_suggestions(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            allegation = services.allegation_record(
                actor=user, entity=user.entity, raw=form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Recorded as %(ref)s.") % {"ref": allegation.reference})
            return redirect("conduct:detail", pk=allegation.pk)
    return render(request, "conduct/new.html", {"form": form})


def _detail_page(
    request: HttpRequest, allegation: Allegation, identities: services.Identities | None = None
) -> HttpResponse:
    user = _user(request)
    investigation = selectors.investigation_of(user=user, allegation=allegation)
    initial = {}
    if investigation is not None:
        initial = {
            "body": investigation.body,
            "referred_on": investigation.referred_on,
            "started_on": investigation.started_on or "",
            "outcome": investigation.outcome,
            "finished_on": investigation.finished_on or "",
            "measures": investigation.measure_codes,
            "interim_measures": [c for c in investigation.interim_measures.split(";") if c],
            "paternity_claims": investigation.paternity_claims,
            "victim_referral": investigation.victim_referral,
        }
    response = render(
        request,
        "conduct/detail.html",
        {
            "allegation": allegation,
            "investigation": investigation,
            "days_left": investigation.days_left(timezone.localdate()) if investigation else None,
            "steps": [
                (code, label, allegation.steps_done.get(code))
                for code, label in ResponseStep.choices
            ],
            "custody": selectors.custody_of(user=user, allegation=allegation),
            "investigation_form": InvestigationForm(initial=initial),
            "extend_form": ExtendForm(),
            "custody_form": CustodyForm(),
            "refer_form": ReferForm(providers=funds.sea_providers(timezone.localdate())),
            "identities": identities,
        },
    )
    if identities is not None:
        # this one response carries identities: no browser or proxy may keep it
        patch_cache_control(response, no_store=True, no_cache=True, private=True)
    return response


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.allegation_get(_user(request), pk))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The steps on an allegation: each a service; errors come back as messages."""
    user = _user(request)
    allegation = selectors.allegation_get(user, pk)
    try:
        if action == "identities":
            # shown in this response only: never stored in the session, a cache or a message;
            # the view is audited, and another visit shows them encrypted again
            identities = services.identities_view(actor=user, allegation=allegation)
            return _detail_page(request, allegation, identities)
        elif action == "step":
            services.step_done(actor=user, allegation=allegation, step=request.POST.get("step", ""))
        elif action == "custody":
            services.custody_log(actor=user, allegation=allegation, raw=request.POST.dict())
            messages.success(request, _("Custody logged."))
        elif action == "investigation":
            form = InvestigationForm(request.POST)
            form.is_valid()
            raw = {
                **request.POST.dict(),
                **{k: form.cleaned_data.get(k, []) for k in ("measures", "interim_measures")},
            }
            services.investigation_save(actor=user, allegation=allegation, raw=raw)
            messages.success(request, _("Investigation saved."))
        elif action == "refer":
            case = services.victim_refer(actor=user, allegation=allegation, raw=request.POST.dict())
            messages.success(
                request,
                _("Referred: case %(ref)s opened at %(entity)s.")
                % {"ref": case.reference, "entity": case.entity.code},
            )
        elif action == "extend":
            investigation = selectors.investigation_of(user=user, allegation=allegation)
            if investigation is None:
                raise not_found()
            services.investigation_extend(
                actor=user,
                investigation=investigation,
                days=request.POST.get("days", ""),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Deadline extended."))
        else:
            raise not_found()
    except ValidationError as error:
        for name, texts in getattr(error, "message_dict", {"": error.messages}).items():
            for text in texts:
                messages.error(request, f"{name}: {text}" if name else text)
    return redirect("conduct:detail", pk=pk)


@login_required
def vetting(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    selectors.allegations_for(user)
    form = VettingForm(request.POST or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        outcome = services.vetting_check(
            actor=user,
            identifier=form.cleaned_data["identifier"],
            purpose=form.cleaned_data["purpose"],
        )
        form = VettingForm()  # the identifier is not echoed back
    return render(request, "conduct/vetting.html", {"form": form, "outcome": outcome})


@login_required
def certifications(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    selectors.allegations_for(user)  # conduct officers only
    form = CertificationForm(request.POST or None, units=selectors.unit_suggestions(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_save(actor=user, raw=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Certification saved."))
            return redirect("conduct:certifications")
    return render(
        request,
        "conduct/certifications.html",
        {
            "form": form,
            "certified": selectors.certifications_for(user),
            "uncertified": selectors.uncertified_units(user),
        },
    )


@login_required
def patterns(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    allegations = selectors.allegations_for(user)
    today = timezone.localdate()
    return render(
        request,
        "conduct/patterns.html",
        {
            "units": figures.unit_patterns(today, allegations, selectors.certifications_for(user)),
            "missions": figures.grouped(allegations, today, "entity__code"),
            "contingents": figures.grouped(allegations, today, "contingent_country_id"),
            "threshold": figures.settings.CTIP_CONDUCT_SYSTEMIC_ALLEGATIONS,
            "as_of": today,
        },
    )


@login_required
def units(request: HttpRequest) -> HttpResponse:
    """The register of units: find, export, and register one ahead of any allegation."""
    user = _user(request)
    listing = list_page(request, selectors.units_for(user), lists.UNITS)
    exported = export_if_asked(request, user, listing)
    if exported:
        return exported
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_add(actor=user, raw=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Registered: %(unit)s.") % {"unit": unit.name})
            return redirect("conduct:units")
    return render(request, "conduct/units.html", {"listing": listing, "form": form})


@login_required
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a unit into another of its contingent: what it moves, then the merge."""
    user = _user(request)
    unit = selectors.unit_get(user, pk)
    candidates = selectors.units_to_merge_into(user, unit)
    form = UnitMergeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        into = selectors.unit_get(user, int(form.cleaned_data["into"]))
        try:
            merged = services.unit_merge(actor=user, unit=unit, into=into)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "“%(unit)s” merged into “%(into)s”. Moved: allegations %(allegations)s, "
                    "certifications %(certifications)s. Duplicate certifications dropped: "
                    "%(dropped)s."
                )
                % {
                    "unit": unit.name,
                    "into": into.name,
                    "allegations": merged.allegations,
                    "certifications": merged.certifications,
                    "dropped": merged.duplicates,
                },
            )
            return redirect("conduct:units")
    return render(
        request,
        "conduct/unit_merge.html",
        {"unit": unit, "form": form, "has_candidates": candidates.exists()},
    )


# --- public ------------------------------------------------------------------------------


@public_page
def public_statistics(request: HttpRequest) -> HttpResponse:
    """All years, and one year's tables (`?year=`, the latest by default), suppressed
    together; a year that is not a number or has no figures gets a message, not the year."""
    stats = figures.public_statistics()
    years = stats["years"]
    asked = request.GET if "year" in request.GET else {"year": years[-1]} if years else None
    form = PublicYearForm(asked, years=years)
    year, status = None, 200
    if asked is not None and form.is_valid():
        year = figures.public_year(form.cleaned_data["year"], stats)
    elif asked is not None:
        status = 404 if form.has_error("year", "unknown") else 400
    return render(
        request,
        "conduct/public.html",
        {"stats": stats, "form": form, "year": year},
        status=status,
    )


def public_report(request: HttpRequest) -> HttpResponse:
    entities = Entity.objects.filter(is_active=True, kind__in=["un_mission", "un_agency"]).order_by(
        "code"
    )
    form = PublicReportForm(request.POST or None, entities=entities)
    if request.method == "POST":
        if too_many(request, "conduct-report", PUBLIC_REPORTS_PER_HOUR):
            return render(
                request, "conduct/report.html", {"form": form, "too_many": True}, status=429
            )
        if form.is_valid():
            raw = {**form.cleaned_data, "channel": "public_form"}
            try:
                allegation = services.allegation_record(
                    actor=None,
                    entity=entities.get(code=form.cleaned_data["entity"]),
                    raw=raw,
                    actor_label="public",
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return render(
                    request, "conduct/report_thanks.html", {"reference": allegation.reference}
                )
    return render(request, "conduct/report.html", {"form": form})
