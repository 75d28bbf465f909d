"""The demo's trust fund: the UN Voluntary Trust Fund for Victims of Trafficking (UNVTF),
run by a fund manager of the CTIP operator, with invented grants to fictitious NGOs labelled
as such, in the countries and amounts the report describes (about USD 2 million a year)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from ctip.core.codes import Role
from ctip.core.models import Entity, User
from ctip.funds import services
from ctip.funds.models import Fund, Grant, Report

COUNTRIES = ["NGA", "IRQ", "CAF", "COD", "SDN", "MLI", "NER", "LBY", "UKR", "MMR", "COL", "PHL"]
GRANTEES = ["Safe Passage", "Hope Shelter", "Dignity Network", "Open Door", "Bridge Legal Aid"]


@transaction.atomic
def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    if Fund.objects.exists():
        return {"grants": 0}
    operator = Entity.objects.filter(code="CTIP").first()
    if operator is None:
        return {"grants": 0}
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data
    fund = services.fund_save(
        actor=None,
        entity=operator,
        raw={
            "code": "UNVTF",
            "name": "UN Voluntary Trust Fund for Victims of Trafficking in Persons",
            "purpose": "trafficking",
        },
    )
    today = datetime.date.today()
    rows = []
    for n in range(34):
        start = datetime.date(today.year - rng.randint(0, 2), rng.choice([1, 4, 7]), 1)
        end = start.replace(year=start.year + rng.choice([1, 2])) - datetime.timedelta(days=1)
        status = "completed" if end < today else "active"
        rows.append(
            (
                n + 2,
                {
                    "grant_id": f"VTF-{start.year}-{n + 1:03d}",
                    "grantee": f"{rng.choice(GRANTEES)} {n + 1} (fictitious NGO)",
                    "country": COUNTRIES[n % len(COUNTRIES)],
                    "amount": f"{rng.randrange(30_000, 90_000, 500)}.00",
                    "currency": "USD",
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "status": status,
                },
            )
        )
    report = services.grants_import(fund=fund, rows=rows, actor_label="cli:demo_data")
    assert not report.errors, report.errors
    manager = User.objects.filter(role=Role.FUND_MANAGER, entity=operator).first()
    if manager is not None:
        _reports(rng, manager, fund, today)
        _payments(manager, fund, today)
        _proposals(rng, manager, fund, today)
        _sea_fund(manager, today)
    return {"grants": report.created}


def _sea_fund(manager: User, today: datetime.date) -> None:
    """The trust fund for victims of sexual exploitation and abuse, paying Safe Haven (which
    records its cases in CTIP): MINUSCA's conduct officer can refer a victim to it."""
    shelter = Entity.objects.filter(code="SAFEHAVEN").first()
    if shelter is None:
        return
    fund = services.fund_save(
        actor=manager,
        raw={
            "code": "SEATF",
            "name": "Trust Fund in Support of Victims of Sexual Exploitation and Abuse",
            "purpose": "sea",
        },
    )
    grant = services.grant_save(
        actor=manager,
        fund=fund,
        raw={
            "grant_id": f"SEA-{today.year}-001",
            "grantee": "Safe Haven Network (fictitious NGO)",
            "country": "CAF",
            "amount": "120000.00",
            "currency": "USD",
            "start": today.replace(month=1, day=1).isoformat(),
            "end": today.replace(year=today.year + 1, month=12, day=31).isoformat(),
            "status": "active",
        },
    )
    grant.grantee_entity = shelter
    grant.save(update_fields=["grantee_entity"])


def _reports(rng: random.Random, manager: User, fund: Fund, today: datetime.date) -> None:
    """Figures for most periods that ended; a few left overdue, for the reminders."""
    for report in Report.objects.filter(grant__fund=fund, period_end__lt=today):
        if rng.random() < 0.2:
            continue
        victims = rng.randint(8, 140)
        women = rng.randint(0, victims)
        children = rng.randint(0, victims)
        services.report_submit(
            actor=manager,
            report=report,
            raw={
                "victims": victims,
                "by_sex": {"F": women, "M": victims - women},
                "by_age": {"Y0T17": children, "Y_GE18": victims - children},
                "by_form": {
                    "SexualExploitation": rng.randint(0, victims),
                    "ForcedLabour": rng.randint(0, victims),
                },
                "by_service": {
                    "shelter": rng.randint(0, victims),
                    "psychosocial": rng.randint(0, victims),
                },
                "narrative": "Synthetic demo report.",
            },
        )


def _payments(manager: User, fund: Fund, today: datetime.date) -> None:
    """Each grant begun: 60 % paid at its start, the rest halfway (when that has come)."""
    for grant in Grant.objects.filter(fund=fund, start__lte=today):
        first = (grant.amount * 6 / 10).quantize(grant.amount)
        half = grant.start + (grant.end - grant.start) / 2
        for paid_on, amount in ((grant.start, first), (half, grant.amount - first)):
            if paid_on <= today:
                services.disbursement_record(
                    actor=manager,
                    grant=grant,
                    raw={
                        "paid_on": paid_on.isoformat(),
                        "amount": f"{amount:.2f}",
                        "reference": f"PAY-{grant.grant_id}",
                    },
                )


def _proposals(rng: random.Random, manager: User, fund: Fund, today: datetime.date) -> None:
    """This year's call: proposals scored, two funded, two on the reserve list, one not
    selected, one waiting for its review."""
    call = services.call_save(
        actor=manager,
        fund=fund,
        raw={
            "title": f"Call for proposals {today.year} (demo)",
            "opens_on": today.replace(month=1, day=15).isoformat(),
            "closes_on": today.replace(month=3, day=31).isoformat(),
        },
    )
    outcomes = ["fund", "fund", "reserve", "reserve", "reject", ""]
    for n, outcome in enumerate(outcomes, start=1):
        start = datetime.date(today.year + 1, 1, 1)
        proposal = services.proposal_save(
            actor=manager,
            call=call,
            raw={
                "applicant": f"{rng.choice(GRANTEES)} {n} (fictitious NGO)",
                "applicant_entity": "SAFEHAVEN" if n == 1 else "",
                "country": COUNTRIES[n],
                "amount": f"{rng.randrange(40_000, 80_000, 1000)}.00",
                "currency": "USD",
                "start": start.isoformat(),
                "end": (
                    start.replace(year=start.year + 1) - datetime.timedelta(days=1)
                ).isoformat(),
                "services": ["shelter", "psychosocial", "legal_counselling"][: 1 + n % 3],
                "target_groups": ["women", "girls"],
                "summary": "Synthetic demo proposal.",
            },
        )
        if not outcome:
            continue
        services.proposal_review(
            actor=manager, proposal=proposal, score=rng.randint(55, 95), comment="Synthetic review."
        )
        reason = {
            "fund": "Scored highest; fits the call.",
            "reserve": "Good, beyond this year's funds.",
            "reject": "Outside the call's scope.",
        }[outcome]
        services.proposal_decide(actor=manager, proposal=proposal, decision=outcome, reason=reason)
