"""Trust funds over the API: a fund manager's funds and grants, one grant saved (scoped like
the pages), and each fund's public portfolio (aggregates, no grantee named)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from ctip.core.api import request_invalid
from ctip.core.models import User
from ctip.funds import selectors, services
from ctip.funds.models import Fund, Grant

router = Router(tags=["trust funds"])
public_router = Router(tags=["public trust funds"], auth=None)


class GrantIn(Schema):
    grant_id: str
    grantee: str
    country: str
    amount: str
    currency: str
    start: datetime.date
    end: datetime.date
    status: str


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def grant_row(grant: Grant) -> dict[str, Any]:
    return dict(zip(services.COLUMNS, services.grant_values(grant), strict=True))


def _amounts(by_currency: dict[str, Any]) -> dict[str, str]:
    """Per currency, as decimal strings with 2 places (never summed across currencies)."""
    return {currency: f"{amount:.2f}" for currency, amount in by_currency.items()}


def _portfolio(fund: Fund) -> dict[str, Any]:
    found = selectors.portfolio(fund)
    return {
        "fund": fund.code,
        "name": fund.name,
        "purpose": fund.purpose,
        "grants": found.grants,
        "totals": _amounts(found.totals),
        "countries": [
            {
                "country": c["country"],
                "grants": c["grants"],
                "amounts": _amounts(c["amounts"]),
            }
            for c in found.countries
        ],
        "years": [
            {
                "year": y["year"],
                "grants": y["grants"],
                "amounts": _amounts(y["amounts"]),
            }
            for y in found.years
        ],
    }


@router.get("/funds")
def funds(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"code": f.code, "name": f.name, "purpose": f.purpose}
        for f in selectors.funds_for(user=_user(request))
    ]


@router.get("/funds/{code}/grants")
def grants(
    request: HttpRequest, code: str, status: str = "", country: str = ""
) -> list[dict[str, Any]]:
    """The fund's grants, in the import's columns (amount a decimal string)."""
    user = _user(request)
    fund = selectors.fund_get(user=user, code=code)
    return [
        grant_row(g)
        for g in selectors.grants_of(user=user, fund=fund, status=status, country=country)[:10_000]
    ]


@router.post("/funds/{code}/grants")
def save(request: HttpRequest, code: str, payload: GrantIn) -> dict[str, Any]:
    """Add a grant, or replace its values when its `grant_id` exists; a 422 names each bad field."""
    user = _user(request)
    fund = selectors.fund_get(user=user, code=code)
    try:
        grant = services.grant_save(actor=user, fund=fund, raw=payload.dict())
    except ValidationError as error:
        raise request_invalid(error) from None
    return grant_row(grant)


@public_router.get("/public/funds")
def public(request: HttpRequest) -> list[dict[str, Any]]:
    return [_portfolio(f) for f in selectors.public_funds()]


@public_router.get("/public/funds/{code}")
def public_fund(request: HttpRequest, code: str) -> dict[str, Any]:
    return _portfolio(selectors.public_fund(code))
