"""Reads of trust funds, scoped through `ctip.funds.policies`; the public portfolio reads
aggregates only (no grantee's name)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.funds import policies
from ctip.funds.codes import GrantStatus
from ctip.funds.models import Fund, Grant

COMMITTED = (GrantStatus.ACTIVE, GrantStatus.COMPLETED, GrantStatus.SUSPENDED)


def funds_for(*, user: User) -> QuerySet[Fund]:
    return policies.funds_scope(user)


def fund_get(*, user: User, code: Any) -> Fund:
    """The user's entity's fund with this code, or the same 404 as a missing one."""
    found = policies.funds_scope(user).filter(code=str(code).upper()).first()
    if found is None:
        raise not_found()
    return found


def grants_of(*, user: User, fund: Fund, status: str = "", country: str = "") -> QuerySet[Grant]:
    """The fund's grants; an unknown filter value finds nothing rather than an error."""
    policies.require_fund(user, fund)
    found = policies.grants_scope(user).filter(fund=fund).select_related("country")
    if status:
        found = found.filter(status=status) if status in GrantStatus.values else found.none()
    if country:
        found = found.filter(country_id=country.upper())
    return found


def grant_ids(fund: Fund) -> dict[str, Grant]:
    """The fund's grants by their id, for an import (which checks the fund itself)."""
    return {g.grant_id: g for g in Grant.objects.filter(fund=fund)}


@dataclass
class Portfolio:
    """What a fund commits (grants not cancelled), per country and per year of start, each
    per currency (amounts in different currencies are never added up)."""

    countries: list[dict[str, Any]] = field(default_factory=list)
    years: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)
    grants: int = 0


def portfolio(fund: Fund) -> Portfolio:
    """Aggregates only: public (`/public/funds/<code>/`) as well as the managers'."""
    committed = Grant.objects.filter(fund=fund, status__in=COMMITTED)
    found = Portfolio(grants=committed.count())
    by_country: dict[tuple[str, str], dict[str, Any]] = {}
    rows = committed.values("country_id", "country__name", "currency").annotate(
        grants=Count("pk"), amount=Sum("amount")
    )
    for row in rows.order_by("country__name", "currency"):
        key = (row["country_id"], row["country__name"])
        entry = by_country.setdefault(
            key, {"country": key[0], "name": key[1], "grants": 0, "amounts": {}}
        )
        entry["grants"] += row["grants"]
        entry["amounts"][row["currency"]] = row["amount"]
        found.totals[row["currency"]] = (
            found.totals.get(row["currency"], Decimal(0)) + row["amount"]
        )
    found.countries = list(by_country.values())
    by_year: dict[int, dict[str, Any]] = defaultdict(lambda: {"grants": 0, "amounts": {}})
    for grant in committed.values("start", "currency", "amount"):
        entry = by_year[grant["start"].year]
        entry["grants"] += 1
        entry["amounts"][grant["currency"]] = (
            entry["amounts"].get(grant["currency"], Decimal(0)) + grant["amount"]
        )
    found.years = [{"year": y, **by_year[y]} for y in sorted(by_year)]
    return found


def public_funds() -> QuerySet[Fund]:
    return Fund.objects.select_related("entity")


def public_fund(code: Any) -> Fund:
    found = Fund.objects.filter(code=str(code).upper()).first()
    if found is None:
        raise not_found()
    return found
