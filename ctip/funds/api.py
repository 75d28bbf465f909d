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
from ctip.core.selectors import one_or_404
from ctip.funds import selectors, services
from ctip.funds.models import Fund, Grant, Proposal, Report
from ctip.statistics.disclosure import published_value

router = Router(tags=["trust funds"])
public_router = Router(tags=["public trust funds"], auth=None)


class ProposalReviewIn(Schema):
    score: int
    comment: str = ""


class ProposalDecisionIn(Schema):
    decision: str
    reason: str


class AssistanceReportIn(Schema):
    victims: int | None = None
    by_sex: dict[str, int] = {}
    by_age: dict[str, int] = {}
    by_form: dict[str, int] = {}
    by_service: dict[str, int] = {}
    narrative: str = ""


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
        "assisted": [
            {
                "year": y.year,
                "victims": published_value(y.victims),
                "by_sex": {code: published_value(v) for code, v in y.by_sex.items()},
            }
            for y in services.assisted_per_year(fund)[0]
        ],
        "regions": [
            {"region": r["region"], "grants": r["grants"], "amounts": _amounts(r["amounts"])}
            for r in found.regions
        ],
        "disbursed": [
            {"year": y["year"], "amounts": _amounts(y["amounts"]), "usd": f"{y['usd']:.2f}"}
            for y in found.paid
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


def proposal_row(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "reference": proposal.reference,
        "call": proposal.call_id,
        "applicant": proposal.applicant,
        "country": proposal.country_id,
        "amount": f"{proposal.amount:.2f}",
        "currency": proposal.currency,
        "start": proposal.start.isoformat(),
        "end": proposal.end.isoformat(),
        "services": proposal.services,
        "target_groups": proposal.target_groups,
        "status": proposal.status,
        "reserve_rank": proposal.reserve_rank,
        "grant_id": proposal.grant.grant_id if proposal.grant else None,
    }


@router.get("/funds/{code}/proposals")
def proposals(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    user = _user(request)
    fund = selectors.fund_get(user=user, code=code)
    return [
        proposal_row(p)
        for p in selectors.proposals_of(user=user, fund=fund).select_related("grant")[:5000]
    ]


@router.post("/funds/proposals/{proposal_id}/reviews")
def review(request: HttpRequest, proposal_id: int, payload: ProposalReviewIn) -> dict[str, Any]:
    user = _user(request)
    found = selectors.proposal_get(user=user, proposal_id=proposal_id)
    try:
        services.proposal_review(
            actor=user, proposal=found, score=payload.score, comment=payload.comment
        )
    except ValidationError as error:
        raise request_invalid(error) from None
    return proposal_row(found)


@router.post("/funds/proposals/{proposal_id}/decision")
def decision(request: HttpRequest, proposal_id: int, payload: ProposalDecisionIn) -> dict[str, Any]:
    """Fund it, put it on the reserve list, or reject it, with the reason."""
    user = _user(request)
    found = selectors.proposal_get(user=user, proposal_id=proposal_id)
    try:
        decided = services.proposal_decide(
            actor=user, proposal=found, decision=payload.decision, reason=payload.reason
        )
    except ValidationError as error:
        raise request_invalid(error) from None
    return proposal_row(decided)


def report_row(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "due_on": report.due_on.isoformat(),
        "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
        "victims": report.victims,
        "by_sex": report.by_sex,
        "by_age": report.by_age,
        "by_form": report.by_form,
        "by_service": report.by_service,
        "from_cases": report.from_cases,
    }


@router.get("/funds/grants/{grant_pk}/reports")
def reports(request: HttpRequest, grant_pk: int) -> list[dict[str, Any]]:
    """A grant's reports, scheduled and recorded (figures only, not the progress text)."""
    user = _user(request)
    grant = selectors.grant_get(user=user, grant_id=grant_pk)
    return [report_row(r) for r in selectors.reports_of(user=user, grant=grant)]


@router.post("/funds/reports/{report_id}")
def report(request: HttpRequest, report_id: int, payload: AssistanceReportIn) -> dict[str, Any]:
    """Record a period's figures (by sex and by age adding up to the victims), once; a 422
    names each bad field."""
    user = _user(request)
    found = selectors.report_get(user=user, report_id=report_id)
    try:
        saved = services.report_submit(actor=user, report=found, raw=payload.dict())
    except ValidationError as error:
        raise request_invalid(error) from None
    return report_row(saved)


@router.get("/funds/grantee/reports")
def grantee_reports(request: HttpRequest) -> list[dict[str, Any]]:
    """A grantee's focal point: the reports of the grants naming its entity."""
    return [report_row(r) for r in services.reports_for_grantee(_user(request))]


@router.post("/funds/grantee/reports/{report_id}")
def grantee_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    """A grantee's focal point sends the figures of its services in CTIP's cases."""
    user = _user(request)
    found = one_or_404(services.reports_for_grantee(user), report_id)
    try:
        saved = services.report_from_cases(actor=user, report=found)
    except ValidationError as error:
        raise request_invalid(error) from None
    return report_row(saved)


class GrantInstalmentIn(Schema):
    due_on: datetime.date
    amount: str


class GrantDisbursementIn(Schema):
    paid_on: datetime.date
    amount: str
    usd_rate: str = ""
    reference: str = ""


def _money_row(grant: Grant) -> dict[str, Any]:
    return {
        **grant_row(grant),
        "instalments": [
            {"due_on": i.due_on.isoformat(), "amount": f"{i.amount:.2f}"}
            for i in grant.instalments.all()
        ],
        "disbursements": [
            {
                "paid_on": d.paid_on.isoformat(),
                "amount": f"{d.amount:.2f}",
                "usd_rate": str(d.usd_rate),
                "usd": f"{d.usd:.2f}",
                "reference": d.reference,
            }
            for d in grant.disbursements.all()
        ],
    }


@router.get("/funds/grants/{grant_pk}")
def grant(request: HttpRequest, grant_pk: int) -> dict[str, Any]:
    """A grant with its instalments and disbursements (each with the dollar rate used)."""
    return _money_row(selectors.grant_get(user=_user(request), grant_id=grant_pk))


@router.post("/funds/grants/{grant_pk}/instalments")
def instalment(request: HttpRequest, grant_pk: int, payload: GrantInstalmentIn) -> dict[str, Any]:
    user = _user(request)
    found = selectors.grant_get(user=user, grant_id=grant_pk)
    try:
        services.instalment_add(
            actor=user, grant=found, raw={"due_on": str(payload.due_on), "amount": payload.amount}
        )
    except ValidationError as error:
        raise request_invalid(error) from None
    return _money_row(found)


@router.post("/funds/grants/{grant_pk}/disbursements")
def disbursement(
    request: HttpRequest, grant_pk: int, payload: GrantDisbursementIn
) -> dict[str, Any]:
    """A payment made; refused (422) beyond the grant, in the future, or without the rate."""
    user = _user(request)
    found = selectors.grant_get(user=user, grant_id=grant_pk)
    try:
        services.disbursement_record(
            actor=user, grant=found, raw={**payload.dict(), "paid_on": str(payload.paid_on)}
        )
    except ValidationError as error:
        raise request_invalid(error) from None
    return _money_row(found)
