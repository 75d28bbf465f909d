"""Pages of trust funds: the entity's funds, one fund with its portfolio, grants, one grant
by hand, an import and an export (fund managers); each fund's public portfolio."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.cases.codes import ServiceType
from ctip.core.exports import csv_bytes
from ctip.core.listing import export_if_asked, list_page
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.public_cache import public_page
from ctip.core.selectors import one_or_404
from ctip.core.values import parse_id
from ctip.core.views.pages import add_errors, uploaded_rows
from ctip.funds import selectors, services
from ctip.funds.forms import (
    CallForm,
    DecisionForm,
    DisbursementForm,
    FundForm,
    GrantForm,
    GrantsFileForm,
    InstalmentForm,
    ProposalForm,
    ReportForm,
    ReviewForm,
)
from ctip.funds.lists import GRANTS


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    funds = selectors.funds_for(user=user)
    form = FundForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            fund = services.fund_save(actor=user, raw=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Fund %(code)s defined.") % {"code": fund.code})
            return redirect("funds:fund", code=fund.code)
    return render(request, "funds/index.html", {"funds": funds, "form": form})


@login_required
def fund(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    found = selectors.fund_get(user=user, code=code)
    grant_form = GrantForm(request.POST if "grant" in request.POST else None)
    upload = (
        GrantsFileForm(request.POST or None, request.FILES or None)
        if "import" in request.POST
        else GrantsFileForm()
    )
    report = None
    if grant_form.is_bound and grant_form.is_valid():
        try:
            services.grant_save(actor=user, fund=found, raw=grant_form.cleaned_data)
        except ValidationError as error:
            add_errors(grant_form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("funds:fund", code=found.code)
    if upload.is_bound and upload.is_valid():
        rows = uploaded_rows(upload, services.MAX_GRANT_ROWS)
        if rows is not None:
            report = services.grants_import(
                actor=user, fund=found, rows=rows, dry_run="dry_run" in request.POST
            )
    listing = list_page(request, selectors.grants_of(user=user, fund=found), GRANTS)
    exported = export_if_asked(request, user, listing, target=found)
    if exported:
        return exported
    return render(
        request,
        "funds/fund.html",
        {
            "fund": found,
            "portfolio": selectors.portfolio(found),
            "listing": listing,
            "grant_form": grant_form,
            "upload": upload,
            "report": report,
            "calls": selectors.calls_of(user=user, fund=found),
            "proposals": selectors.proposals_of(user=user, fund=found)[:200],
            "reserve": selectors.reserve_list(user=user, fund=found),
            "due": services.reports_due(found),
            "today": timezone.localdate(),
            "call_form": CallForm(),
            "proposal_form": ProposalForm(calls=selectors.calls_of(user=user, fund=found)),
        },
    )


@login_required
@require_POST
def add(request: HttpRequest, code: str, what: str) -> HttpResponse:
    """A call for proposals, or a proposal received; errors shown on the fund's page."""
    user = _user(request)
    found = selectors.fund_get(user=user, code=code)
    form: Any
    if what == "call":
        form = CallForm(request.POST)
    elif what == "proposal":
        form = ProposalForm(request.POST, calls=selectors.calls_of(user=user, fund=found))
    else:
        raise not_found()
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        if what == "call":
            services.call_save(actor=user, fund=found, raw=form.cleaned_data)
            messages.success(request, _("Saved."))
        else:
            call = selectors.call_get(user=user, fund=found, call_id=form.cleaned_data["call"])
            proposal = services.proposal_save(actor=user, call=call, raw=form.cleaned_data)
            messages.success(request, _("Proposal %(ref)s recorded.") % {"ref": proposal.reference})
            return redirect("funds:proposal", pk=proposal.pk)
    except ValidationError as error:
        messages.error(request, " ".join(_messages(error)))
    return redirect("funds:fund", code=found.code)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {'; '.join(texts)}" for field, texts in error.message_dict.items()]
    return list(error.messages)


@login_required
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = selectors.proposal_get(user=user, proposal_id=pk)
    review = ReviewForm(request.POST if "review" in request.POST else None)
    decide = DecisionForm(request.POST if "decide" in request.POST else None)
    try:
        if review.is_bound and review.is_valid():
            services.proposal_review(actor=user, proposal=found, **review.cleaned_data)
            messages.success(request, _("Review recorded."))
            return redirect("funds:proposal", pk=found.pk)
        if decide.is_bound and decide.is_valid():
            services.proposal_decide(actor=user, proposal=found, **decide.cleaned_data)
            messages.success(request, _("Decision recorded."))
            return redirect("funds:proposal", pk=found.pk)
    except ValidationError as error:
        add_errors(review if review.is_bound else decide, error)
    return render(
        request,
        "funds/proposal.html",
        {
            "proposal": found,
            "reviews": selectors.reviews_of(user=user, proposal=found),
            "review_form": review,
            "decision_form": decide,
            "services": [dict(ServiceType.choices).get(c, c) for c in found.services],
        },
    )


@login_required
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = selectors.grant_get(user=user, grant_id=pk)
    form = ReportForm(request.POST if "submit" in request.POST else None)
    instalment = InstalmentForm(request.POST if "instalment" in request.POST else None)
    payment = DisbursementForm(request.POST if "payment" in request.POST else None)
    chosen = request.POST.get("report") or request.GET.get("report")
    if request.method == "POST":
        saved = _grant_post(request, user, found, form, instalment, payment)
        if saved:
            messages.success(request, saved)
            return redirect("funds:grant", pk=found.pk)
    return render(
        request,
        "funds/grant.html",
        {
            "grant": found,
            "reports": list(selectors.reports_of(user=user, grant=found)),
            "instalments": found.instalments.all(),
            "funded_cases": found.funded_cases.count(),
            "payments": found.disbursements.all(),
            "chosen": str(chosen or ""),
            "form": form,
            "instalment_form": instalment,
            "payment_form": payment,
            "today": timezone.localdate(),
        },
    )


def _grant_post(request: HttpRequest, user: User, found: Any, *forms_: Any) -> str:
    """One of the grant page's forms: a report, an instalment or a payment; the message of
    success, or "" with the errors on the form."""
    form, instalment, payment = forms_
    bound = form if form.is_bound else (instalment if instalment.is_bound else payment)
    try:
        if form.is_bound:
            report = found.reports.filter(pk=parse_id(request.POST.get("report")) or 0).first()
            if report is None:
                raise ValidationError({"victims": _("Choose the period reported.")})
            if not form.is_valid():
                return ""
            services.report_submit(actor=user, report=report, raw=form.figures())
            return _("Report recorded.")
        if instalment.is_bound and instalment.is_valid():
            services.instalment_add(
                actor=user,
                grant=found,
                raw={**instalment.cleaned_data, "due_on": str(instalment.cleaned_data["due_on"])},
            )
            return _("Saved.")
        if payment.is_bound and payment.is_valid():
            services.disbursement_record(
                actor=user,
                grant=found,
                raw={**payment.cleaned_data, "paid_on": str(payment.cleaned_data["paid_on"])},
            )
            return _("Saved.")
    except ValidationError as error:
        add_errors(bound, error)
    return ""


@login_required
def export(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    found = selectors.fund_get(user=user, code=code)
    rows = services.export_rows(found)
    services.grants_exported(actor=user, fund=found, rows=len(rows))
    response = HttpResponse(
        csv_bytes(services.COLUMNS, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="grants-{found.code}.csv"'
    return response


@login_required
def grantee_reports(request: HttpRequest) -> HttpResponse:
    """A grantee's focal point: the reports its funders expect, and sending the figures of
    the services it delivered, as CTIP counts them in its cases (its consent)."""
    user = _user(request)
    if request.method == "POST":
        report = one_or_404(services.reports_for_grantee(user), request.POST.get("report"))
        try:
            services.report_from_cases(actor=user, report=report)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Report recorded."))
        return redirect("funds:grantee_reports")
    return render(
        request,
        "funds/grantee_reports.html",
        {"reports": services.reports_for_grantee(user), "today": timezone.localdate()},
    )


@public_page
def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "funds/public_index.html", {"funds": selectors.public_funds()})


@public_page
def public_fund(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.public_fund(code)
    assisted, k = services.assisted_per_year(found)
    return render(
        request,
        "funds/public_fund.html",
        {"fund": found, "portfolio": selectors.portfolio(found), "assisted": assisted, "k": k},
    )
