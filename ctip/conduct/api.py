"""Allegations over the API (conduct officers, scoped like the pages) and public figures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from ctip.conduct import figures, policies, selectors, services
from ctip.conduct.codes import AllegationStatus
from ctip.conduct.schemas import AllegationIn, AllegationOut, ValidationErrorOut, allegation_row
from ctip.core.api import request_invalid
from ctip.core.models import User
from ctip.statistics.disclosure import published_value

router = Router(tags=["conduct"])
public_router = Router(tags=["public conduct"], auth=None)


def _out(allegation: Any) -> dict[str, str]:
    return {k: str(v) if v != "" else "" for k, v in allegation_row(allegation).items()}


@router.get("/conduct/allegations", response=list[AllegationOut])
def allegations(
    request: HttpRequest, status: AllegationStatus | None = None
) -> list[dict[str, str]]:
    """The allegations the caller may see, without identities."""
    user: User = request.auth  # type: ignore[attr-defined]
    found = selectors.allegations_for(user, status=status or "")
    return [_out(a) for a in found[:5000]]


@router.post("/conduct/allegations", response={200: AllegationOut, 422: ValidationErrorOut})
def record(request: HttpRequest, payload: AllegationIn) -> dict[str, str]:
    """Record an allegation for the caller's entity; a 422 names each bad field."""
    user: User = request.auth  # type: ignore[attr-defined]
    policies.require_reader(user)  # focal points record on the page, without reading back
    try:
        allegation = services.allegation_record(actor=user, entity=user.entity, raw=payload.raw())
    except ValidationError as error:
        raise request_invalid(error) from None
    return _out(allegation)


@public_router.get("/public/conduct/statistics")
def statistics(request: HttpRequest) -> dict[str, Any]:
    """The public figures, all years and each year's (`by_year`), from one suppression."""
    found = figures.public_statistics()
    return {
        "threshold": found["threshold"],
        "finished_investigations": published_value(found["finished"]),
        "finished_within_six_months": published_value(found["within_six_months"]),
        "open": published_value(found["open"]),
        "tables": {
            name: {label: published_value(shown) for label, shown in table.rows}
            for name, table in found["tables"].items()
        },
        "total": published_value(found["total"]),
        "years": found["years"],
        "by_year": {
            str(year): _year_out(figures_of) for year, figures_of in found["by_year"].items()
        },
    }


def _year_out(year: figures.YearFigures) -> dict[str, Any]:
    """One year's figures, suppressed together with the all-years tables above."""
    return {
        "allegations": published_value(year.allegations),
        "by_category": {label: published_value(shown) for label, shown in year.by_category},
        "by_personnel_category": {
            label: published_value(shown) for label, shown in year.by_personnel_category
        },
        "finished_investigations": published_value(year.finished),
        "finished_within_six_months": published_value(year.within_six_months),
        "share_within_six_months": year.share_within_six_months,
    }
