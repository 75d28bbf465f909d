"""Early warning over the API: the watched situations with their levels and signals, their
alerts, recording an assessment and acknowledging an alert (watchers, scoped like the
pages), and the framework with the situations cleared for publication (public). No
evidence leaves through it."""

from __future__ import annotations

import datetime
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from ctip.core.api import request_invalid
from ctip.core.models import User
from ctip.warning import public, reporting, selectors, services

router = Router(tags=["early warning"])
public_router = Router(tags=["public early warning"], auth=None)


class IndicatorScoreIn(Schema):
    score: int | None = None
    evidence: str = ""
    sources: str = ""


class AssessmentIn(Schema):
    as_of: datetime.date
    summary: str = ""
    scores: dict[str, IndicatorScoreIn]


class AlertAcknowledgeIn(Schema):
    note: str


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@public_router.get("/public/warning/framework")
def framework(request: HttpRequest) -> dict[str, Any]:
    """The indicators, definitions, scales and weights (never a score), and the situations
    whose latest assessment is cleared for publication: name, as-of date, level, framework."""
    shared = public.shared_situations(timezone.localdate())
    return {**reporting.framework_dict(), "shared_situations": [asdict(s) for s in shared]}


@router.get("/warning/situations")
def situations(request: HttpRequest) -> list[dict[str, Any]]:
    """The situations the caller watches, each with its level, factors, signals and look back."""
    user = _user(request)
    found = list(selectors.situations_for(user=user))
    states = selectors.states_for(user=user, situations=found)
    return [reporting.situation_dict(s, states[s.pk]) for s in found]


@router.get("/warning/situations/{situation_id}")
def situation(request: HttpRequest, situation_id: int) -> dict[str, Any]:
    user = _user(request)
    found = selectors.situation_get(user=user, situation_id=situation_id)
    state = selectors.states_for(user=user, situations=[found])[found.pk]
    return reporting.situation_dict(found, state)


@router.post("/warning/situations/{situation_id}/assessments")
def assess(request: HttpRequest, situation_id: int, payload: AssessmentIn) -> dict[str, Any]:
    """Score the person-scored indicators (0-3, null when not known; evidence for any score
    above 0); a 422 names each bad indicator."""
    user = _user(request)
    found = selectors.situation_get(user=user, situation_id=situation_id)
    try:
        assessment = services.assessment_record(
            actor=user,
            situation=found,
            as_of=payload.as_of,
            summary=payload.summary,
            scores={code: dict(given) for code, given in payload.scores.items()},
        )
    except ValidationError as error:
        raise request_invalid(error) from None
    return {"id": assessment.pk, "level": assessment.level or None, "score": assessment.score}


@router.get("/warning/alerts")
def alerts(request: HttpRequest, open_only: bool = False) -> list[dict[str, Any]]:
    found = selectors.alerts_for(user=_user(request), open_only=open_only)
    return [reporting.alert_dict(a) for a in found[:1000]]


@router.post("/warning/alerts/{alert_id}/acknowledge")
def acknowledge(request: HttpRequest, alert_id: int, payload: AlertAcknowledgeIn) -> dict[str, Any]:
    user = _user(request)
    alert = selectors.alert_get(user=user, alert_id=alert_id)
    try:
        services.alert_acknowledge(actor=user, alert=alert, note=payload.note)
    except ValidationError as error:
        raise request_invalid(error) from None
    return reporting.alert_dict(alert)
