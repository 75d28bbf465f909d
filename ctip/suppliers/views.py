"""Pages of the supplier register: the list with filters, an import and one supplier by
hand; one supplier with its Code of Conduct acceptances, flags, checks, contracts and
status (procurement officers)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ctip.core.listing import export_if_asked, list_page
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.values import parse_id
from ctip.core.views.pages import add_errors, uploaded_rows
from ctip.suppliers import selectors, services
from ctip.suppliers.forms import (
    CheckForm,
    CodeForm,
    ContractForm,
    FlagForm,
    SupplierForm,
    SuppliersFileForm,
)
from ctip.suppliers.lists import SUPPLIERS


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SupplierForm(request.POST if "add" in request.POST else None)
    upload = (
        SuppliersFileForm(request.POST, request.FILES)
        if "import" in request.POST
        else SuppliersFileForm()
    )
    report = None
    if form.is_bound and form.is_valid():
        try:
            supplier = services.supplier_save(actor=user, raw=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("suppliers:detail", pk=supplier.pk)
    if upload.is_bound and upload.is_valid():
        rows = uploaded_rows(upload, services.MAX_SUPPLIER_ROWS)
        if rows is not None:
            report = services.suppliers_import(
                entity=user.entity, actor=user, rows=rows, dry_run="dry_run" in request.POST
            )
    listing = list_page(request, selectors.suppliers_for(user=user), SUPPLIERS)
    exported = export_if_asked(request, user, listing)
    if exported:
        return exported
    return render(
        request,
        "suppliers/index.html",
        {
            "listing": listing,
            "form": form,
            "upload": upload,
            "report": report,
            "columns": ", ".join(services.COLUMNS + services.OPTIONAL),
        },
    )


FORMS = {"code": CodeForm, "flag": FlagForm, "check": CheckForm, "contract": ContractForm}


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    supplier = selectors.supplier_get(user=user, supplier_id=pk)
    action = request.POST.get("action", "")
    forms_: dict[str, Any] = {
        name: cls(request.POST if action == name else None) for name, cls in FORMS.items()
    }
    if request.method == "POST":
        try:
            done = _act(user, supplier, request.POST, forms_)
        except ValidationError as error:
            if action in forms_:
                add_errors(forms_[action], error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("suppliers:detail", pk=supplier.pk)
        else:
            if done:
                messages.success(request, _("Saved."))
                return redirect("suppliers:detail", pk=supplier.pk)
    return render(
        request,
        "suppliers/detail.html",
        {
            "supplier": supplier,
            "acceptances": supplier.acceptances.all(),
            "flags": supplier.flags.all(),
            "checks": supplier.checks.select_related("checked_by"),
            "contracts": supplier.contracts.all(),
            "blocking": services.why_not_clearable(supplier),
            **{f"{name}_form": form for name, form in forms_.items()},
        },
    )


def _act(user: User, supplier: Any, post: Any, forms_: dict[str, Any]) -> bool:
    """Run the posted action; False when its form has errors (shown on the page)."""
    action = post.get("action", "")
    if action in ("cleared", "suspended", "pending"):
        services.supplier_status(actor=user, supplier=supplier, status=action)
        return True
    if action == "close_flag":
        flag = supplier.flags.filter(pk=parse_id(post.get("flag")) or 0).first()
        if flag is None:
            raise not_found()
        services.flag_close(actor=user, flag=flag, note=post.get("note", ""))
        return True
    form = forms_.get(action)
    if form is None or not form.is_valid():
        return False
    data = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in form.cleaned_data.items()
    }
    {
        "code": services.code_accepted,
        "flag": services.flag_raise,
        "check": services.check_record,
        "contract": services.contract_record,
    }[action](actor=user, supplier=supplier, raw=data)
    return True
