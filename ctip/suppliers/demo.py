"""MINUSCA's procurement register for the demo: invented suppliers labelled as such, some in
high-risk sectors, one with an allegation of forced labour and a failed check, one cleared
after its check, contracts awarded."""

from __future__ import annotations

import datetime

from django.db import transaction

from ctip.core.codes import Role
from ctip.core.models import User
from ctip.suppliers import services
from ctip.suppliers.models import Supplier

SUPPLIERS = [
    ("UNGM-10001", "Bangui Build (fictitious)", "CAF", "construction"),
    ("UNGM-10002", "Oubangui Rations (fictitious)", "CMR", "catering"),
    ("UNGM-10003", "Sahel Logistics (fictitious)", "CAF", "transport"),
    ("UNGM-10004", "Guard Plus (fictitious)", "UGA", "security"),
    ("UNGM-10005", "Kivu Minerals Fuel (fictitious)", "COD", "mining"),
]


@transaction.atomic
def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    if Supplier.objects.exists():
        return {"suppliers": 0}
    officer = User.objects.filter(role=Role.PROCUREMENT_OFFICER, entity__code="MINUSCA").first()
    if officer is None:
        return {"suppliers": 0}
    today = datetime.date.today()
    rows = [
        (
            n + 2,
            {
                "ungm_number": u,
                "name": name,
                "country": c,
                "sector": s,
                "code_version": "2017-12",
                "code_accepted_on": (today - datetime.timedelta(days=400)).isoformat(),
                "code_signed_by": "Invented signatory",
            },
        )
        for n, (u, name, c, s) in enumerate(SUPPLIERS)
    ]
    report = services.suppliers_import(entity=officer.entity, actor=officer, rows=rows)
    assert not report.errors, report.errors
    build, rations, logistics, guards, _minerals = Supplier.objects.filter(
        entity=officer.entity
    ).order_by("ungm_number")
    services.check_record(
        actor=officer,
        supplier=build,
        raw={
            "checked_on": (today - datetime.timedelta(days=340)).isoformat(),
            "outcome": "passed",
            "expires_on": (today + datetime.timedelta(days=20)).isoformat(),
            "note": "Synthetic: recruitment fees and passports checked.",
        },
    )
    services.supplier_status(actor=officer, supplier=build, status="cleared")
    services.supplier_status(actor=officer, supplier=logistics, status="cleared")
    services.flag_raise(
        actor=officer,
        supplier=rations,
        raw={
            "kind": "allegation",
            "detail": "Synthetic: workers' passports reportedly withheld at a subcontractor.",
            "source": "Invented NGO report",
        },
    )
    services.check_record(
        actor=officer,
        supplier=rations,
        raw={
            "checked_on": (today - datetime.timedelta(days=30)).isoformat(),
            "outcome": "failed",
            "expires_on": (today + datetime.timedelta(days=335)).isoformat(),
            "note": "Synthetic: passports held by the subcontractor.",
        },
    )
    for supplier, n in ((build, 1), (logistics, 2), (guards, 3)):
        services.contract_record(
            actor=officer,
            supplier=supplier,
            raw={
                "reference": f"MINUSCA-C-{n:03d}",
                "title": "Synthetic contract",
                "awarded_on": (today - datetime.timedelta(days=60 * n)).isoformat(),
                "value": f"{120000 * n}.00",
                "currency": "USD",
            },
        )
    return {"suppliers": len(SUPPLIERS)}
