"""The demo's trust fund: the UN Voluntary Trust Fund for Victims of Trafficking (UNVTF),
run by a fund manager of the CTIP operator, with invented grants to fictitious NGOs labelled
as such, in the countries and amounts the report describes (about USD 2 million a year)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from ctip.core.models import Entity
from ctip.funds import services
from ctip.funds.models import Fund

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
        end = start.replace(year=start.year + rng.choice([1, 2]))
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
    return {"grants": report.created}
