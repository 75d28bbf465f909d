"""Pages of screening and case files: the entity's caseworkers and focal points only.

Views parse input, call one selector or service, render. Protected records come only through
`selectors` (same 404 for missing and forbidden); who may do what is in `policies`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.cases import policies, selectors, services
from ctip.cases.codes import INDICATOR_SETS, CaseStatus, TipStatus
from ctip.cases.forms import (
    CaseForm,
    OfferForm,
    ReferralForm,
    ScreeningForm,
    ServiceForm,
    TipForm,
)
from ctip.cases.models import Case
from ctip.cases.xlsform import workbook_bytes
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.ratelimit import too_many
from ctip.core.views.pages import add_errors


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _private(response: HttpResponse) -> HttpResponse:
    """A page showing an identity or a tip: no browser or proxy keeps a copy."""
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "cases/index.html",
        {
            "cases": selectors.cases_for(user=user)[:500],
            "screenings": selectors.screenings_for(user=user)[:100],
            "sets": INDICATOR_SETS.values(),
        },
    )


@login_required
def screen(request: HttpRequest, indicator_set: str) -> HttpResponse:
    user = _user(request)
    policies.require_field_staff(user)
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
                return redirect(f"{reverse('cases:new')}?screening={screening.pk}")
            return redirect("cases:index")
    return render(
        request,
        "cases/screen.html",
        {"form": form, "indicator_set": INDICATOR_SETS[indicator_set]},
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require_field_staff(user)
    screening = None
    if "screening" in request.GET:
        screening = selectors.screening_get(user=user, screening_id=request.GET["screening"])
    form = CaseForm(request.POST or None, caseworkers=selectors.caseworkers_for(user=user))
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.case_open(actor=user, raw=form.cleaned_data, screening=screening)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": opened.case.reference})
            if opened.duplicate_check_paused:
                messages.info(
                    request,
                    _(
                        "The check for duplicates is paused: you opened many cases in the last "
                        "hour. Ask a focal point if you think this case exists already."
                    ),
                )
            elif opened.duplicates_here or opened.duplicates_elsewhere:
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
    return _detail_page(request, user, selectors.case_get(user=user, case_id=pk))


def _detail_page(
    request: HttpRequest, user: User, case: Case, identity: dict[str, str] | None = None
) -> HttpResponse:
    """The case page; `identity` only in the response to the audited identity read, never
    kept anywhere (session, cache, message) for a later request."""
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "events": selectors.case_events(user=user, case=case),
            "screenings": selectors.case_screenings(user=user, case=case),
            "may_see_identity": policies.may_see_identity(user, case),
            "identity": identity,
            "statuses": CaseStatus.choices,
            "referrals": selectors.case_referrals(user=user, case=case),
            "deliveries": selectors.case_deliveries(user=user, case=case),
            "service_form": ServiceForm(),
            "can_transfer": policies.may_transfer(user),
            "can_assign": policies.may_assign(user),
            "caseworkers": selectors.caseworkers_for(user=user),
            "entities": selectors.transfer_targets(user=user),
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user=user, case_id=pk)
    if action == "identity":
        identity = services.identity_view(actor=user, case=case)
        return _private(_detail_page(request, user, case, identity=identity))
    elif action == "service":
        try:
            services.service_record(actor=user, case=case, raw=request.POST.dict())
            messages.success(request, _("Service recorded."))
        except ValidationError as error:
            _errors(request, error)
    elif action == "statistics":
        try:
            services.case_report(
                actor=user, case=case, linkage_secret=request.POST.get("linkage_secret", "")
            )
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
            to_entity = (
                selectors.transfer_targets(user=user)
                .filter(code=request.POST.get("to_entity", ""))
                .first()
            )
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
    policies.require_field_staff(_user(request))
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
    case = selectors.case_get(user=user, case_id=pk)
    providers = selectors.providers_for(user=user)
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
        {"referrals": selectors.referrals_incoming(user=_user(request))[:500]},
    )


@login_required
def referral(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider's view: only what the person agreed to share."""
    user = _user(request)
    found = selectors.referral_incoming_get(user=user, referral_id=pk)
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
    return _private(
        render(
            request,
            "cases/referral.html",
            {
                "referral": found,
                "shared": services.referral_shared_read(actor=user, referral=found),
                "service_form": ServiceForm(),
                "deliveries": selectors.referral_deliveries(user=user, referral=found),
            },
        )
    )


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require_field_staff(user)
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
        {
            "offers": selectors.directory(),
            "form": form,
            "can_offer": policies.may_keep_directory(user),
        },
    )


TIPS_PER_HOUR = 5


def public_tip(request: HttpRequest) -> HttpResponse:
    """Anyone, without signing in, on a phone, in six languages; a few tips an hour."""
    entities = selectors.tip_recipients()
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
    """The entity's triage queue: when and in what state, never the text (reading a tip is
    audited, on its own page)."""
    user = _user(request)
    if request.method == "POST":  # triage from the queue (older pages post here)
        tip = selectors.tip_get(user=user, tip_id=request.POST.get("tip"))
        return _triage(request, user, tip, then=reverse("cases:tips"))
    return render(request, "cases/tips.html", {"tips": selectors.tips_for(user=user)[:200]})


@login_required
def tip(request: HttpRequest, pk: int) -> HttpResponse:
    """One tip, read (audited) and triaged by the entity's field staff."""
    user = _user(request)
    found = selectors.tip_get(user=user, tip_id=pk)
    if request.method == "POST":
        return _triage(request, user, found, then=reverse("cases:tips"))
    return _private(
        render(
            request,
            "cases/tip_read.html",
            {
                "tip": found,
                "text": services.tip_read(actor=user, tip=found),
                "statuses": TipStatus.choices[1:],
            },
        )
    )


def _triage(request: HttpRequest, user: User, tip: Any, *, then: str) -> HttpResponse:
    try:
        services.tip_triage(
            actor=user,
            tip=tip,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect(then)
