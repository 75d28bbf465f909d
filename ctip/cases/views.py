"""Pages of screening and case files: the entity's caseworkers and focal points only."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.cases import selectors, services
from ctip.cases.codes import IDENTITY_PARTS, INDICATOR_SETS, CaseStatus, TipStatus
from ctip.cases.forms import (
    CaseForm,
    OfferForm,
    ReferralForm,
    ScreeningForm,
    ServiceForm,
    TipForm,
)
from ctip.cases.models import Tip
from ctip.cases.xlsform import workbook_bytes
from ctip.core.policies import not_found
from ctip.core.models import Entity, User
from ctip.core.ratelimit import too_many
from ctip.core.views.pages import add_errors


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "cases/index.html",
        {
            "cases": selectors.cases_for(user)[:500],
            "screenings": selectors.screenings_for(user)[:100],
            "sets": INDICATOR_SETS.values(),
        },
    )


@login_required
def screen(request: HttpRequest, indicator_set: str) -> HttpResponse:
    user = _user(request)
    selectors.screenings_for(user)
    if indicator_set not in INDICATOR_SETS:
        raise not_found()
    form = ScreeningForm(
        request.POST or None,
        indicator_set=indicator_set,
        initial={"screened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_record(actor=user, raw=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Screening saved."))
            if form.cleaned_data["open_case"]:
                return redirect(f"/cases/new/?screening={screening.pk}")
            return redirect("cases:index")
    return render(
        request,
        "cases/screen.html",
        {"form": form, "indicator_set": INDICATOR_SETS[indicator_set]},
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    screenings = selectors.screenings_for(user)
    screening = None
    wanted = request.GET.get("screening", "")
    if wanted:
        screening = screenings.filter(pk=int(wanted) if wanted.isdigit() else 0).first()
        if screening is None:
            raise not_found()
    form = CaseForm(request.POST or None, caseworkers=_caseworkers(user))
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.case_open(actor=user, raw=form.cleaned_data, screening=screening)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": opened.case.reference})
            if opened.duplicates_here or opened.duplicates_elsewhere:
                messages.warning(
                    request,
                    _(
                        "Probable duplicate: the same name and date of birth are in %(refs)s "
                        "and in %(n)s case(s) of other entities."
                    )
                    % {
                        "refs": ", ".join(opened.duplicates_here) or "—",
                        "n": opened.duplicates_elsewhere,
                    },
                )
            return redirect("cases:detail", pk=opened.case.pk)
    return render(request, "cases/new.html", {"form": form, "screening": screening})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _detail_page(request, user, selectors.case_get(user, pk))


def _detail_page(
    request: HttpRequest, user: User, case: Any, identity: dict[str, str] | None = None
) -> HttpResponse:
    """The case page; `identity` only in the response to the audited identity read, never
    kept anywhere (session, cache, message) for a later request."""
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "events": case.events.select_related("actor"),
            "screenings": case.screenings.all(),
            "may_see_identity": services.may_see_identity(user, case),
            "identity": identity,
            "statuses": CaseStatus.choices,
            "referrals": case.referrals.select_related("to_entity"),
            "deliveries": case.deliveries.select_related("provider"),
            "service_form": ServiceForm(),
            "can_transfer": user.role == "focal_point",
            "caseworkers": _caseworkers(user),
            "entities": Entity.objects.filter(is_active=True)
            .exclude(pk=user.entity_id)
            .order_by("code"),
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user, pk)
    if action == "identity":
        identity = services.identity_view(actor=user, case=case)
        response = _detail_page(request, user, case, identity=identity)
        patch_cache_control(response, no_store=True, private=True)
        return response
    elif action == "service":
        try:
            services.service_record(actor=user, case=case, raw=request.POST.dict())
            messages.success(request, _("Service recorded."))
        except ValidationError as error:
            _errors(request, error)
    elif action == "statistics":
        try:
            services.case_report(actor=user, case=case)
            messages.success(request, _("Added to the reporting round, without identity."))
        except ValidationError as error:
            _errors(request, error)
    elif action == "assign":
        try:
            services.case_assign(
                actor=user, case=case, caseworker_id=request.POST.get("caseworker", "")
            )
        except ValidationError as error:
            _errors(request, error)
    elif action == "transfer":
        try:
            to_entity = Entity.objects.filter(code=request.POST.get("to_entity", "")).first()
            if to_entity is None:
                raise ValidationError({"to_entity": _("Another active entity.")})
            services.case_transfer(
                actor=user, case=case, to_entity=to_entity, note=request.POST.get("note", "")
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Case transferred."))
            return redirect("cases:index")
    elif action == "status":
        try:
            services.case_set_status(actor=user, case=case, status=request.POST.get("status", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        raise not_found()
    return redirect("cases:detail", pk=pk)


@login_required
def xlsform(request: HttpRequest) -> HttpResponse:
    selectors.screenings_for(_user(request))
    response = HttpResponse(
        workbook_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="ctip-screening-xlsform.xlsx"'
    return response


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for name, texts in getattr(error, "message_dict", {"": error.messages}).items():
        for text in texts:
            messages.error(request, f"{name}: {text}" if name else text)


@login_required
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user, pk)
    providers = (
        Entity.objects.filter(is_active=True, pk__in=selectors.directory().values("entity"))
        .exclude(pk=user.entity_id)
        .order_by("code")
    )
    form = ReferralForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(
                actor=user,
                case=case,
                to_entity=providers.get(code=form.cleaned_data["to_entity"]),
                services=form.cleaned_data["services"],
                parts=form.cleaned_data["parts"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Referral sent."))
            return redirect("cases:detail", pk=pk)
    return render(
        request,
        "cases/refer.html",
        {"case": case, "form": form, "offers": selectors.directory().exclude(entity=user.entity)},
    )


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cases/referrals.html",
        {"referrals": selectors.referrals_incoming(_user(request))[:500]},
    )


@login_required
def referral(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider's view: only what the person agreed to share."""
    user = _user(request)
    found = selectors.referral_incoming_get(user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "service":
                services.service_record(
                    actor=user, case=found.case, raw=request.POST.dict(), referral=found
                )
                messages.success(request, _("Service recorded."))
            else:
                services.referral_answer(
                    actor=user,
                    referral=found,
                    answer=request.POST.get("answer", ""),
                    note=request.POST.get("note", ""),
                )
        except ValidationError as error:
            _errors(request, error)
        return redirect("cases:referral", pk=pk)
    shared = json.loads(found.shared or "{}")
    if set(found.shared_parts.split(";")) & set(IDENTITY_PARTS):
        services.shared_identity_viewed(actor=user, referral=found)
    return render(
        request,
        "cases/referral.html",
        {
            "referral": found,
            "shared": shared,
            "service_form": ServiceForm(),
            "deliveries": found.deliveries.all(),
        },
    )


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    selectors.screenings_for(user)  # field staff only
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_save(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:directory")
    return render(
        request,
        "cases/directory.html",
        {"offers": selectors.directory(), "form": form, "can_offer": user.role == "focal_point"},
    )


TIPS_PER_HOUR = 5


def public_tip(request: HttpRequest) -> HttpResponse:
    """Anyone, without signing in, on a phone, in six languages; a few tips an hour."""
    entities = Entity.objects.filter(is_active=True).exclude(kind="member_state").order_by("code")
    form = TipForm(request.POST or None, entities=entities)
    if request.method == "POST":
        if too_many(request, "tips", TIPS_PER_HOUR):
            return render(request, "cases/tip.html", {"form": form, "too_many": True}, status=429)
        if form.is_valid():
            try:
                services.tip_receive(
                    entity=entities.get(code=form.cleaned_data["entity"]), raw=form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return render(request, "cases/tip_thanks.html")
    return render(request, "cases/tip.html", {"form": form})


@login_required
def tips(request: HttpRequest) -> HttpResponse:
    """The entity's triage queue; the tip's text is shown to its field staff."""
    user = _user(request)
    selectors.screenings_for(user)
    queue = Tip.objects.filter(entity_id=user.entity_id)
    if request.method == "POST":
        tip = queue.filter(pk=request.POST.get("tip", "0")).first()
        if tip is None:
            raise not_found()
        try:
            services.tip_triage(
                actor=user,
                tip=tip,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
            )
        except ValidationError as error:
            _errors(request, error)
        return redirect("cases:tips")
    return render(
        request, "cases/tips.html", {"tips": queue[:200], "statuses": TipStatus.choices[1:]}
    )


def _caseworkers(user: User) -> Any:
    return User.objects.filter(
        entity_id=user.entity_id, role="caseworker", is_active=True
    ).order_by("full_name")
