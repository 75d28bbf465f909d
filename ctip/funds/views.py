"""Pages of trust funds: the entity's funds, one fund with its portfolio, grants, one grant
by hand, an import and an export (fund managers); each fund's public portfolio."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ctip.core.exports import csv_bytes
from ctip.core.models import User
from ctip.core.views.pages import add_errors
from ctip.funds import selectors, services
from ctip.funds.codes import GrantStatus
from ctip.funds.forms import FundForm, GrantForm, GrantsFileForm
from ctip.tabular import FileProblem, read_dicts


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
        data = upload.cleaned_data["file"]
        try:
            rows = read_dicts(data.read(), data.name, services.MAX_GRANT_ROWS)
        except FileProblem as problem:
            upload.add_error("file", str(problem))
        else:
            report = services.grants_import(
                actor=user, fund=found, rows=rows, dry_run="dry_run" in request.POST
            )
    status, country = request.GET.get("status", ""), request.GET.get("country", "")
    return render(
        request,
        "funds/fund.html",
        {
            "fund": found,
            "portfolio": selectors.portfolio(found),
            "grants": selectors.grants_of(user=user, fund=found, status=status, country=country)[
                :500
            ],
            "statuses": GrantStatus.choices,
            "status": status,
            "country": country,
            "grant_form": grant_form,
            "upload": upload,
            "report": report,
        },
    )


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


def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "funds/public_index.html", {"funds": selectors.public_funds()})


def public_fund(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.public_fund(code)
    return render(
        request, "funds/public_fund.html", {"fund": found, "portfolio": selectors.portfolio(found)}
    )
