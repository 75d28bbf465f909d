"""Anonymous tips: the public form, the entity's triage queue, reading one (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ctip.cases import lists, selectors, services
from ctip.cases.codes import (
    TipStatus,
)
from ctip.cases.forms import (
    TipForm,
)
from ctip.cases.views import _errors, _private, _user
from ctip.core.listing import export_if_asked, list_page
from ctip.core.models import User
from ctip.core.ratelimit import too_many
from ctip.core.views.pages import add_errors

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
    listing = list_page(request, selectors.tips_for(user=user), lists.TIPS)
    return export_if_asked(request, user, listing) or render(
        request, "cases/tips.html", {"listing": listing}
    )


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
