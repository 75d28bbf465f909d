"""The supplier register over the API (procurement officers, scoped like the pages)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from ctip.core.api import request_invalid
from ctip.core.models import User
from ctip.suppliers import selectors, services
from ctip.suppliers.models import Supplier

router = Router(tags=["suppliers"])


class SupplierIn(Schema):
    ungm_number: str
    name: str
    country: str
    sector: str


class SupplierCheckIn(Schema):
    checked_on: datetime.date
    outcome: str
    expires_on: datetime.date
    note: str = ""


class SupplierFlagIn(Schema):
    kind: str
    detail: str
    source: str


class SupplierStatusIn(Schema):
    status: str


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def supplier_row(supplier: Supplier) -> dict[str, Any]:
    return {
        "id": supplier.pk,
        "ungm_number": supplier.ungm_number,
        "name": supplier.name,
        "country": supplier.country_id,
        "sector": supplier.sector,
        "status": supplier.status,
        "open_flags": [f.kind for f in supplier.flags.all() if f.closed_on is None],
        "checks": [
            {
                "checked_on": c.checked_on.isoformat(),
                "outcome": c.outcome,
                "expires_on": c.expires_on.isoformat(),
            }
            for c in supplier.checks.all()
        ],
        "code_of_conduct": [
            {"version": a.version, "accepted_on": a.accepted_on.isoformat()}
            for a in supplier.acceptances.all()
        ],
        "contracts": [
            {
                "reference": c.reference,
                "awarded_on": c.awarded_on.isoformat(),
                "value": f"{c.value:.2f}",
                "currency": c.currency,
            }
            for c in supplier.contracts.all()
        ],
    }


def _call(service: Any, **kwargs: Any) -> Any:
    try:
        return service(**kwargs)
    except ValidationError as error:
        raise request_invalid(error) from None


@router.get("/suppliers")
def suppliers(
    request: HttpRequest, status: str = "", flagged: bool = False, q: str = ""
) -> list[dict[str, Any]]:
    found = selectors.suppliers_for(user=_user(request), status=status, flagged=flagged, query=q)
    return [
        supplier_row(s)
        for s in found.prefetch_related("flags", "checks", "acceptances", "contracts")[:5000]
    ]


@router.post("/suppliers")
def save(request: HttpRequest, payload: SupplierIn) -> dict[str, Any]:
    """Add a supplier, or update it when its UNGM number is in the register."""
    return supplier_row(_call(services.supplier_save, actor=_user(request), raw=payload.dict()))


@router.get("/suppliers/{supplier_id}")
def supplier(request: HttpRequest, supplier_id: int) -> dict[str, Any]:
    return supplier_row(selectors.supplier_get(user=_user(request), supplier_id=supplier_id))


@router.post("/suppliers/{supplier_id}/checks")
def check(request: HttpRequest, supplier_id: int, payload: SupplierCheckIn) -> dict[str, Any]:
    user = _user(request)
    found = selectors.supplier_get(user=user, supplier_id=supplier_id)
    raw = {
        **payload.dict(),
        "checked_on": str(payload.checked_on),
        "expires_on": str(payload.expires_on),
    }
    _call(services.check_record, actor=user, supplier=found, raw=raw)
    return supplier_row(found)


@router.post("/suppliers/{supplier_id}/flags")
def flag(request: HttpRequest, supplier_id: int, payload: SupplierFlagIn) -> dict[str, Any]:
    user = _user(request)
    found = selectors.supplier_get(user=user, supplier_id=supplier_id)
    _call(services.flag_raise, actor=user, supplier=found, raw=payload.dict())
    return supplier_row(found)


@router.post("/suppliers/{supplier_id}/status")
def status(request: HttpRequest, supplier_id: int, payload: SupplierStatusIn) -> dict[str, Any]:
    """Clear, suspend or reset a supplier; clearing a flagged one without a passing, valid
    check (or without the Code of Conduct accepted) is a 422 saying why."""
    user = _user(request)
    found = selectors.supplier_get(user=user, supplier_id=supplier_id)
    return supplier_row(
        _call(services.supplier_status, actor=user, supplier=found, status=payload.status)
    )
