"""Pages of the case law database: public search, decision and digest; legal officers' desk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.caselaw import exports, lists, policies, selectors, services
from ctip.caselaw.forms import DecisionForm, initial_from
from ctip.caselaw.models import Decision
from ctip.caselaw.text import best_snippet, highlight
from ctip.core.listing import export_if_asked, list_page
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.public_cache import public_page
from ctip.core.values import parse_whole_number
from ctip.core.views.pages import add_errors

EXPORTS = {
    "csv": (exports.export_csv, "text/csv; charset=utf-8"),
    "json": (exports.export_json, "application/json"),
}
FILTERS = (
    "country",
    "year",
    "form",
    "conflict",
    "verdict",
    "victims",
    "defendants",
    "keyword",
    "issue",
)


def _user(request: HttpRequest) -> User | None:
    return request.user if request.user.is_authenticated else None  # type: ignore[return-value]


def _filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "")[:100] for name in FILTERS if request.GET.get(name)}


@public_page
def public_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    page = request.GET.get("page", "1")
    result = selectors.decision_search(
        user=None,
        query=query,
        filters=_filters(request),
        page=parse_whole_number(page, minimum=1, maximum=999_999) or 1,
    )
    hits = [
        (
            highlight(d.title, result.terms, width=300),
            best_snippet(
                [d.fact_summary, d.legal_reasoning, d.commentary, "; ".join(d.keywords)],
                result.terms,
            ),
            d,
        )
        for d in result.page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "caselaw/search.html",
        {
            "result": result,
            "hits": hits,
            "headline": selectors.headline(),
            "filters": _filters(request),
            "params": params.urlencode(),
        },
    )


@public_page
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=None, pk=pk)
    return render(request, "caselaw/detail.html", {"decision": decision, "public": True})


@public_page
def public_digest(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "caselaw/digest.html",
        {"issues": selectors.digest(), "headline": selectors.headline()},
    )


def public_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise not_found()
    writer, content_type = EXPORTS[fmt]
    ids = selectors.ranked_ids(
        user=None, query=request.GET.get("q", "")[:200], filters=_filters(request)
    )
    response = HttpResponse(writer(selectors.published_in_order(ids)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ctip-caselaw.{fmt}"'
    return response


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    decisions = selectors.own_decisions(user=user).select_related("country")
    listing = list_page(request, decisions, lists.DECISIONS)
    return export_if_asked(request, user, listing) or render(
        request, "caselaw/manage.html", {"listing": listing}
    )


def _own(user: User, pk: int) -> Decision:
    return selectors.own_decision_get(user=user, pk=pk)


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    decision = _own(user, pk)
    return render(
        request,
        "caselaw/detail.html",
        {
            "decision": decision,
            "public": False,
            "versions": decision.versions.select_related("saved_by"),
            "may_publish": policies.may_publish(user, decision),
        },
    )


@login_required
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    policies.require_editor(user)
    decision = _own(user, pk) if pk else None
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                saved = services.decision_save(actor=user, raw=form.cleaned_data, decision=decision)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Saved as version %(v)s, a draft until another legal officer publishes it.")
                    % {"v": saved.version},
                )
                return redirect("caselaw:staff_detail", pk=saved.pk)
    else:
        form = DecisionForm(
            initial=initial_from(decision)
            if decision
            else {"instance": "first_instance", "scope": "unknown"}
        )
    return render(request, "caselaw/edit.html", {"form": form, "decision": decision})


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    decision = _own(user, pk)
    try:
        services.decision_publish(actor=user, decision=decision)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, _("Published."))
    return redirect("caselaw:staff_detail", pk=pk)
