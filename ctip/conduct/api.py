"""Allegations over the API (conduct officers, scoped like the pages) and public figures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Body, Router
from ninja.errors import HttpError

from ctip.conduct import figures, selectors, services
from ctip.conduct.views import export_row
from ctip.core.models import User

router = Router(tags=["conduct"])
public_router = Router(tags=["public conduct"], auth=None)


def _out(allegation: Any) -> dict[str, Any]:
    return {k: str(v) if v != "" else "" for k, v in export_row(allegation).items()}


@router.get("/conduct/allegations")
def allegations(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    """The allegations the caller may see, without identities."""
    user: User = request.auth  # type: ignore[attr-defined]
    found = selectors.allegations_for(user)
    if status:
        found = found.filter(status=status)
    return [_out(a) for a in found[:5000]]


@router.post("/conduct/allegations")
def record(request: HttpRequest, payload: dict[str, Any] = Body(...)) -> dict[str, Any]:  # noqa: B008
    """Record an allegation for the caller's entity; errors name the fields."""
    user: User = request.auth  # type: ignore[attr-defined]
    selectors.allegations_for(user)
    try:
        allegation = services.allegation_record(actor=user, entity=user.entity, raw=payload)
    except ValidationError as error:
        raise HttpError(422, str(error.message_dict)) from None
    return _out(allegation)


@public_router.get("/public/conduct/statistics")
def statistics(request: HttpRequest) -> dict[str, Any]:
    found = figures.public_statistics()
    return {
        "threshold": found["threshold"],
        "finished_investigations": found["finished"],
        "finished_within_six_months": found["within_six_months"],
        "open": found["open"],
        "tables": {name: dict(table.rows) for name, table in found["tables"].items()},
    }
