"""Reads of trust funds, scoped through `ctip.funds.policies`; the public portfolio reads
aggregates only (no grantee's name)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, QuerySet, Sum

from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.selectors import one_or_404
from ctip.funds import policies
from ctip.funds.codes import GrantStatus, ProposalStatus
from ctip.funds.models import Call, Disbursement, Fund, Grant, Proposal, Report, Review

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
    regions: list[dict[str, Any]] = field(default_factory=list)  # M49 regions
    years: list[dict[str, Any]] = field(default_factory=list)
    paid: list[dict[str, Any]] = field(default_factory=list)  # per year of payment
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
    by_region: dict[str, dict[str, Any]] = {}
    rows = committed.values("country__region__name", "currency").annotate(
        grants=Count("pk"), amount=Sum("amount")
    )
    for row in rows.order_by("country__region__name", "currency"):
        name = row["country__region__name"] or ""
        entry = by_region.setdefault(name, {"region": name, "grants": 0, "amounts": {}})
        entry["grants"] += row["grants"]
        entry["amounts"][row["currency"]] = row["amount"]
    found.regions = list(by_region.values())
    by_year: dict[int, dict[str, Any]] = defaultdict(lambda: {"grants": 0, "amounts": {}})
    for grant in committed.values("start", "currency", "amount"):
        entry = by_year[grant["start"].year]
        entry["grants"] += 1
        entry["amounts"][grant["currency"]] = (
            entry["amounts"].get(grant["currency"], Decimal(0)) + grant["amount"]
        )
    found.years = [{"year": y, **by_year[y]} for y in sorted(by_year)]
    found.paid = _paid(fund)
    return found


def _paid(fund: Fund) -> list[dict[str, Any]]:
    """Disbursed per year, per currency, and in US dollars at the rates used."""
    by_year: dict[int, dict[str, Any]] = defaultdict(lambda: {"amounts": {}, "usd": Decimal(0)})
    payments = Disbursement.objects.filter(grant__fund=fund).values_list(
        "paid_on", "grant__currency", "amount", "usd_rate"
    )
    for paid_on, currency, amount, rate in payments:
        entry = by_year[paid_on.year]
        entry["amounts"][currency] = entry["amounts"].get(currency, Decimal(0)) + amount
        entry["usd"] += (amount * rate).quantize(Decimal("0.01"))
    return [{"year": y, **by_year[y]} for y in sorted(by_year)]


def public_funds() -> QuerySet[Fund]:
    return Fund.objects.select_related("entity")


def public_fund(code: Any) -> Fund:
    found = Fund.objects.filter(code=str(code).upper()).first()
    if found is None:
        raise not_found()
    return found


def calls_of(*, user: User, fund: Fund) -> QuerySet[Call]:
    policies.require_fund(user, fund)
    return Call.objects.filter(fund=fund)


def call_get(*, user: User, fund: Fund, call_id: Any) -> Call:
    policies.require_fund(user, fund)
    return one_or_404(Call.objects.filter(fund=fund), call_id)


def proposals_of(*, user: User, fund: Fund) -> QuerySet[Proposal]:
    """The fund's proposals with their reviewers' mean score."""
    policies.require_fund(user, fund)
    return (
        Proposal.objects.filter(call__fund=fund)
        .select_related("call", "country")
        .annotate(mean_score=Avg("reviews__score"), reviews_count=Count("reviews"))
    )


def reserve_list(*, user: User, fund: Fund) -> QuerySet[Proposal]:
    return (
        proposals_of(user=user, fund=fund)
        .filter(status=ProposalStatus.RESERVE)
        .order_by("reserve_rank")
    )


def proposal_get(*, user: User, proposal_id: Any) -> Proposal:
    scope = Proposal.objects.filter(call__fund__in=policies.funds_scope(user)).select_related(
        "call__fund", "country", "grant"
    )
    return one_or_404(scope, proposal_id)


def reviews_of(*, user: User, proposal: Proposal) -> QuerySet[Review]:
    policies.require_fund(user, proposal.call.fund)
    return proposal.reviews.select_related("reviewer").order_by("created_at")


def grant_get(*, user: User, grant_id: Any) -> Grant:
    return one_or_404(
        policies.grants_scope(user).select_related("fund", "country", "grantee_entity"), grant_id
    )


def reports_of(*, user: User, grant: Grant) -> QuerySet[Report]:
    policies.require_fund(user, grant.fund)
    return Report.objects.filter(grant=grant).defer("narrative")


def report_get(*, user: User, report_id: Any) -> Report:
    scope = Report.objects.filter(grant__fund__in=policies.funds_scope(user)).select_related(
        "grant__fund"
    )
    return one_or_404(scope, report_id)
