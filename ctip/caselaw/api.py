"""Case law over the API: public search and decisions; legal officers create and publish."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from ctip.caselaw import selectors, services
from ctip.caselaw.exports import decision_row
from ctip.caselaw.schemas import DecisionIn
from ctip.core.models import User

router = Router(tags=["case law"])
public_router = Router(tags=["public case law"], auth=None)


def _out(decision: Any) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "status": decision.status,
        "version": decision.version,
        **decision_row(decision),
    }


@public_router.get("/public/caselaw")
def search(
    request: HttpRequest,
    q: str = "",
    country: str = "",
    year: str = "",
    form: str = "",
    conflict: str = "",
    verdict: str = "",
    page: int = 1,
) -> dict[str, Any]:
    """Published decisions matching every word of `q` (any language), best first, 20 a page."""
    filters = {
        k: v[:100]
        for k, v in {
            "country": country,
            "year": year,
            "form": form,
            "conflict": conflict,
            "verdict": verdict,
        }.items()
        if v
    }
    result = selectors.decision_search(user=None, query=q[:200], filters=filters, page=page)
    return {
        "total": result.total,
        "approximate": result.approximate,
        "page": result.page.number,
        "pages": result.page.paginator.num_pages,
        "facets": {k: [[v, n] for v, n in values] for k, values in result.facets.items()},
        "results": [_out(d) for d in result.page.object_list],
    }


@public_router.get("/public/caselaw/{decision_id}")
def public_decision(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    return _out(selectors.decision_get(user=None, pk=decision_id))


@router.post("/caselaw/decisions")
def create(request: HttpRequest, payload: DecisionIn) -> dict[str, Any]:
    """Save a decision (a draft) from the export's columns; errors name the fields. With the
    `decision_uuid` of one of your decisions it updates that one (unchanged: left alone)."""
    user: User = request.auth  # type: ignore[attr-defined]
    raw = payload.model_dump()
    if isinstance(payload.charges, list):
        raw["charges"] = [charge.model_dump() for charge in payload.charges]
    try:
        decision = services.decision_put(actor=user, raw=raw)
    except ValidationError as error:
        raise HttpError(422, str(error.message_dict)) from None
    return _out(decision)


@router.post("/caselaw/decisions/{decision_id}/publish")
def publish(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    decision = selectors.own_decision_get(user=user, pk=decision_id)
    try:
        return _out(services.decision_publish(actor=user, decision=decision))
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from None
