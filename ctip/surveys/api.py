"""Surveys over the API: the caller's entity's surveys and their estimates (analysts and
focal points), and the published releases (public). No response row leaves through it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from ctip.core.models import User
from ctip.surveys import results, selectors

router = Router(tags=["surveys"])
public_router = Router(tags=["public surveys"], auth=None)


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@router.get("/surveys")
def surveys(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "title": s.title,
            "indicators": s.indicators,
            "breakdowns": s.breakdowns,
            "min_n": s.min_n,
            "current_wave": s.current_wave,
        }
        for s in selectors.surveys_for(user=_user(request))
    ]


@router.get("/surveys/{code}/estimates")
def estimates(request: HttpRequest, code: str, by: str = "") -> dict[str, Any]:
    """Every indicator and composite (`any`), overall or by a breakdown the survey offers:
    n, prevalence, 95 % interval (proportions 0-1), effective n, publishable."""
    user = _user(request)
    survey = selectors.survey_get(user=user, code=code)
    if by and by not in survey.breakdowns:
        raise HttpError(422, f"by: one of {', '.join(survey.breakdowns) or 'none'}")
    found = results.estimates_for(user=user, survey=survey, by=by or None)
    return {
        "survey": survey.code,
        "by": by or results.ALL,
        "estimates": [e.as_dict() for e in found],
    }


@public_router.get("/public/surveys")
def public(request: HttpRequest) -> list[dict[str, Any]]:
    """The latest release of each published survey: survey estimates, not counts."""
    return [
        {
            "survey": r.survey.code,
            "title": r.survey.title,
            "entity": r.survey.entity.code,
            "published_at": r.published_at.isoformat(),
            "respondents": r.respondents,
            "estimates": r.rows,
        }
        for r in selectors.latest_releases()
    ]
