"""From a call for proposals to a grant: proposals as the fund received them, reviewers'
scores, and the fund manager's decision (fund, reserve list or not selected), with its
reason. A proposal on the reserve list keeps its rank until it is funded."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.cases.codes import ServiceType
from ctip.core.audit import audit_record
from ctip.core.models import Country, Entity, User
from ctip.funds import policies
from ctip.funds.codes import Decision, FundsAction, GrantStatus, ProposalStatus, TargetGroup
from ctip.funds.models import Call, Fund, Grant, Proposal, Review
from ctip.funds.services.grants import clean_grant, parse_day
from ctip.funds.services.reports import schedule_reports

MAX_TEXT = 5000


@transaction.atomic
def call_save(*, actor: User, fund: Fund, raw: dict[str, Any]) -> Call:
    policies.require_fund(actor, fund)
    title = str(raw.get("title") or "").strip()
    errors = {}
    if not title or len(title) > 200:
        errors["title"] = _("A title of 1 to 200 characters.")
    days = {name: parse_day(raw.get(name), name, errors) for name in ("opens_on", "closes_on")}
    if not errors and days["closes_on"] < days["opens_on"]:
        errors["closes_on"] = _("On or after the opening.")
    if errors:
        raise ValidationError(errors)
    call = Call.objects.create(fund=fund, title=title, **days)
    audit_record(
        actor=actor, action=FundsAction.CALL_SAVED, target=call, details={"fund": fund.code}
    )
    return call


def _codes(raw: Any, choices: Any, name: str, errors: dict[str, str]) -> list[str]:
    given = raw if isinstance(raw, list) else [c for c in str(raw or "").split(";") if c]
    codes = [str(c).strip() for c in given]
    unknown = [c for c in codes if c not in choices.values]
    if unknown:
        errors[name] = _("One of: %(codes)s") % {"codes": ", ".join(choices.values)}
    return sorted(set(codes) - set(unknown))


@transaction.atomic
def proposal_save(*, actor: User, call: Call, raw: dict[str, Any]) -> Proposal:
    """A proposal received in answer to the call: who, where, how much, when, what for."""
    policies.require_fund(actor, call.fund)
    countries = set(Country.objects.values_list("alpha3", flat=True))
    values, errors = clean_grant(
        {**raw, "grantee": raw.get("applicant"), "status": GrantStatus.ACTIVE}, countries
    )
    if "grantee" in errors:
        errors["applicant"] = errors.pop("grantee")
    services = _codes(raw.get("services"), ServiceType, "services", errors)
    groups = _codes(raw.get("target_groups"), TargetGroup, "target_groups", errors)
    summary = str(raw.get("summary") or "").strip()
    if len(summary) > MAX_TEXT:
        errors["summary"] = _("At most %(n)d characters.") % {"n": MAX_TEXT}
    if not services:
        errors.setdefault("services", _("At least one service."))
    code = str(raw.get("applicant_entity") or "").strip().upper()
    entity = Entity.objects.filter(code=code).first() if code else None
    if code and entity is None:
        errors["applicant_entity"] = _("The code of an entity in CTIP, or empty.")
    if errors:
        raise ValidationError(errors)
    Fund.objects.select_for_update().get(pk=call.fund_id)  # one reference number at a time
    number = Proposal.objects.filter(call__fund=call.fund).count() + 1
    proposal = Proposal.objects.create(
        call=call,
        reference=f"{call.fund.code}-P{call.pk}-{number:04d}",
        applicant=values["grantee"],
        applicant_entity=entity,
        country_id=values["country_id"],
        amount=values["amount"],
        currency=values["currency"],
        start=values["start"],
        end=values["end"],
        services=services,
        target_groups=groups,
        summary=summary,
    )
    audit_record(
        actor=actor, action=FundsAction.PROPOSAL_SAVED, target=proposal, details={"call": call.pk}
    )
    return proposal


@transaction.atomic
def proposal_review(*, actor: User, proposal: Proposal, score: Any, comment: str = "") -> Review:
    """A reviewer's score (0-100) and comment; one review per reviewer, kept as given."""
    policies.require_fund(actor, proposal.call.fund)
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = -1
    errors = {}
    if not 0 <= value <= 100:
        errors["score"] = _("A score from 0 to 100.")
    if len(comment) > MAX_TEXT:
        errors["comment"] = _("At most %(n)d characters.") % {"n": MAX_TEXT}
    if proposal.status != ProposalStatus.SUBMITTED and proposal.status != ProposalStatus.RESERVE:
        errors["score"] = _("This proposal was decided already.")
    if Review.objects.filter(proposal=proposal, reviewer=actor).exists():
        errors["score"] = _("You reviewed this proposal already.")
    if errors:
        raise ValidationError(errors)
    review = Review.objects.create(
        proposal=proposal, reviewer=actor, score=value, comment=comment.strip()
    )
    audit_record(
        actor=actor, action=FundsAction.PROPOSAL_REVIEWED, target=proposal, details={"score": value}
    )
    return review


@transaction.atomic
def proposal_decide(*, actor: User, proposal: Proposal, decision: str, reason: str) -> Proposal:
    """Fund it (a grant with the proposal's terms, and its reports scheduled), put it on the
    reserve list (ranked after the others), or not select it; always with the reason."""
    fund = Fund.objects.select_for_update().get(pk=proposal.call.fund_id)  # ranks one at a time
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    policies.require_fund(actor, fund)
    reason = reason.strip()
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = _("One of: %(codes)s") % {"codes": ", ".join(Decision.values)}
    if not reason or len(reason) > MAX_TEXT:
        errors["reason"] = _("Say why, in at most %(n)d characters.") % {"n": MAX_TEXT}
    if not proposal.reviews.exists():
        errors["decision"] = _("A proposal is decided after at least one review.")
    if proposal.status in (ProposalStatus.FUNDED, ProposalStatus.REJECTED):
        errors["decision"] = _("This proposal was decided already.")
    if (
        decision == Decision.FUND
        and Grant.objects.filter(fund=fund, grant_id=proposal.reference).exists()
    ):
        errors["decision"] = _("A grant %(id)s exists already in this fund.") % {
            "id": proposal.reference
        }
    if decision == Decision.RESERVE and proposal.status == ProposalStatus.RESERVE:
        errors["decision"] = _("This proposal is on the reserve list already.")
    if errors:
        raise ValidationError(errors)
    if decision == Decision.FUND:
        grant = Grant.objects.create(
            fund=fund,
            grant_id=proposal.reference,
            grantee=proposal.applicant,
            grantee_entity=proposal.applicant_entity,
            country=proposal.country,
            amount=proposal.amount,
            currency=proposal.currency,
            start=proposal.start,
            end=proposal.end,
            status=GrantStatus.ACTIVE,
        )
        schedule_reports(grant)
        proposal.grant, proposal.status, proposal.reserve_rank = grant, ProposalStatus.FUNDED, None
    elif decision == Decision.RESERVE:
        last = Proposal.objects.filter(call__fund=fund, status=ProposalStatus.RESERVE).aggregate(
            n=Max("reserve_rank")
        )["n"]
        proposal.status, proposal.reserve_rank = ProposalStatus.RESERVE, (last or 0) + 1
    else:
        proposal.status, proposal.reserve_rank = ProposalStatus.REJECTED, None
    proposal.reason, proposal.decided_by, proposal.decided_at = reason, actor, timezone.now()
    proposal.save()
    audit_record(
        actor=actor,
        action=FundsAction.PROPOSAL_DECIDED,
        target=proposal,
        details={"decision": decision},
    )
    return proposal
