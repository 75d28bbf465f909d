"""Pages of early warning: the watched situations and their levels, one situation with its
factors, signals, look back, alerts and assessments; recording an assessment and clearing it
for publication; the alerts; who watches what (administrators); the framework with the
situations cleared for publication (public)."""

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

from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.public_cache import public_page
from ctip.core.views.pages import add_errors
from ctip.statistics.charts import timeline_chart
from ctip.warning import framework, policies, public, reporting, selectors, services
from ctip.warning.codes import Signal
from ctip.warning.forms import AcknowledgeForm, AssessmentForm, WatchForm
from ctip.warning.levels import OUTCOMES, Situation
from ctip.warning.sources import first_day

EXPORTS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
SIGNAL_NAMES = dict(Signal.choices)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    found = list(selectors.situations_for(user=user))
    states = selectors.states_for(user=user, situations=found)
    rows = [(s, states[s.pk], [SIGNAL_NAMES[r] for r in states[s.pk].raised()]) for s in found]
    return render(
        request,
        "warning/index.html",
        {
            "rows": rows,
            "open_alerts": selectors.alerts_for(user=user, open_only=True).count(),
            "computed": selectors.last_computation(),
        },
    )


def _timeline(state: Situation) -> str:
    months = state.levels[-reporting.HISTORY_MONTHS :]
    if not months:
        return ""
    shown = {m.month for m in months}
    events = [
        (first_day(t.month).isoformat()[:7], str(SIGNAL_NAMES[signal]), t.value or 0)
        for signal in OUTCOMES
        for t in state.tested.get(signal, [])
        if t.month in shown
    ]
    return timeline_chart(
        [(m.day.isoformat()[:7], m.combined.score) for m in months],
        events,
        score_title=_("Score (0-1)"),
        events_title=_("Verified"),
    )


@login_required
def situation(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = selectors.situation_get(user=user, situation_id=pk)
    state = selectors.states_for(user=user, situations=[found])[found.pk]
    data = reporting.situation_dict(found, state)
    leads, false_alarms = state.look_back()
    return render(
        request,
        "warning/situation.html",
        {
            "situation": found,
            "state": state,
            "data": data,
            "factors": zip(framework.FACTORS, data["factors"], strict=True),
            "signals": [(SIGNAL_NAMES[s["signal"]], s) for s in data["signals"]],
            "leads": data["look_back"]["spikes"],
            "false_alarms": false_alarms,
            "timeline": _timeline(state),
            "alerts": selectors.alerts_for(user=user, situation=found)[:50],
            "assessments": selectors.assessments_of(user=user, situation=found)[:20],
            "may_assess": policies.may_assess(user, found),
            "ack_form": AcknowledgeForm(),
            "signal_names": SIGNAL_NAMES,
            "lead_count": len(leads),
        },
    )


@login_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = selectors.situation_get(user=user, situation_id=pk)
    policies.require_assessor(user, found)
    form = AssessmentForm(request.POST or None, initial_scores=services.latest_scores(found))
    if form.is_bound and form.is_valid():
        try:
            assessment = services.assessment_record(
                actor=user,
                situation=found,
                as_of=form.cleaned_data["as_of"],
                summary=form.cleaned_data["summary"],
                scores=form.scores(),
            )
        except ValidationError as error:
            for key, texts in error.message_dict.items():
                form.add_error(form.field_for_error(key), texts)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("warning:assessment", pk=assessment.pk)
    return render(request, "warning/assess.html", {"situation": found, "form": form})


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = selectors.assessment_get(user=user, assessment_id=pk)
    scores = {s.indicator: s for s in services.evidence_view(actor=user, assessment=found)}
    rows = [
        (
            factor,
            [
                (i, scores.get(i.code))
                for i in framework.indicators_of(factor.code)
                if not i.computed
            ],
        )
        for factor in framework.FACTORS
    ]
    return render(
        request,
        "warning/assessment.html",
        {
            "assessment": found,
            "rows": [r for r in rows if r[1]],
            "may_share": policies.may_share(user, found),
            "may_unshare": policies.may_unshare(user, found),
        },
    )


@login_required
@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    return _clearance(
        request, pk, services.assessment_share, _("Assessment cleared for publication.")
    )


@login_required
@require_POST
def unshare(request: HttpRequest, pk: int) -> HttpResponse:
    return _clearance(
        request, pk, services.assessment_unshare, _("Clearance for publication withdrawn.")
    )


def _clearance(
    request: HttpRequest, pk: int, service: Callable[..., Any], done: str
) -> HttpResponse:
    user = _user(request)
    found = selectors.assessment_get(user=user, assessment_id=pk)
    try:
        service(actor=user, assessment=found)
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("warning:assessment", pk=found.pk)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "warning/alerts.html",
        {
            "alerts": selectors.alerts_for(user=user)[:200],
            "ack_form": AcknowledgeForm(),
            "signal_names": SIGNAL_NAMES,
        },
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    alert = selectors.alert_get(user=user, alert_id=pk)
    form = AcknowledgeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        services.alert_acknowledge(actor=user, alert=alert, note=form.cleaned_data["note"])
        messages.success(request, _("Alert acknowledged."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("warning:situation", pk=alert.situation_id)


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = _user(request)
    found = selectors.situation_get(user=user, situation_id=pk)
    if fmt not in EXPORTS:
        raise not_found()
    state = selectors.states_for(user=user, situations=[found])[found.pk]
    data = reporting.pdf(found, state) if fmt == "pdf" else reporting.xlsx(found, state)
    services.assessment_exported(actor=user, situation=found, fmt=fmt)
    response = HttpResponse(data, content_type=EXPORTS[fmt])
    response["Content-Disposition"] = f'attachment; filename="ctip-early-warning-{found.pk}.{fmt}"'
    return response


@login_required
def watchers(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    watches = selectors.watches_for(user=user)
    form = WatchForm(
        request.POST if "add" in request.POST else None,
        situations=selectors.all_situations(user=user),
        people=selectors.watch_candidates(user=user),
    )
    if "remove" in request.POST:
        watch = selectors.watch_get(user=user, watch_id=request.POST.get("remove"))
        services.watch_remove(actor=user, watch=watch)
        messages.success(request, _("Saved."))
        return redirect("warning:watchers")
    if form.is_bound and form.is_valid():
        try:
            services.watch_add(
                actor=user,
                situation=selectors.all_situations(user=user).get(
                    pk=form.cleaned_data["situation"]
                ),
                user=selectors.watch_candidates(user=user).get(pk=form.cleaned_data["user"]),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("warning:watchers")
    return render(
        request,
        "warning/watchers.html",
        {"watches": watches, "form": form, "computed": selectors.last_computation()},
    )


@public_page
def framework_page(request: HttpRequest) -> HttpResponse:
    """Public: the framework without any score, and the levels cleared for publication."""
    return render(
        request,
        "warning/framework.html",
        {
            "shared": public.shared_situations(timezone.localdate()),
            "factors": [(f, framework.indicators_of(f.code)) for f in framework.FACTORS],
            "scale": framework.SCALE.items(),
            "computed_scale": framework.COMPUTED_SCALE.items(),
            "bounds": framework.LEVEL_BOUNDS,
            "version": framework.VERSION,
        },
    )
