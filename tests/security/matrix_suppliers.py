"""Matrix entries of the supplier register: a procurement office's suppliers are its
procurement officers' alone (another entity's get the same 404 as for a missing one)."""

from __future__ import annotations

from tests.security.entries import SHARED, const, get, post

A = "/api/v1"
OFFICER = frozenset({"procurement_officer"})


def _supplier(w):  # type: ignore[no-untyped-def]
    return f"/suppliers/{w.supplier.pk}/"


SUPPLIERS = [
    get(
        "suppliers/",
        const("/suppliers/"),
        allowed=OFFICER,
        scope=SHARED,
        hidden=lambda w: w.supplier.name,
    ),
    post(
        "suppliers/",
        const("/suppliers/"),
        allowed=OFFICER,
        scope=SHARED,
        data=lambda w: {
            "add": "1",
            "ungm_number": f"M-{w.serial()}",
            "name": "New",
            "country": "IRQ",
            "sector": "other",
        },
    ),
    get("suppliers/<int:pk>/", _supplier, allowed=OFFICER),
    post(
        "suppliers/<int:pk>/",
        _supplier,
        allowed=OFFICER,
        data=lambda w: {
            "action": "flag",
            "kind": "allegation",
            "detail": "Matrix",
            "source": "Matrix",
        },
    ),
]

SUPPLIERS_API = [
    get(
        f"{A}/suppliers",
        const(f"{A}/suppliers"),
        allowed=OFFICER,
        scope=SHARED,
        hidden=lambda w: w.supplier.name,
    ),
    post(
        f"{A}/suppliers",
        const(f"{A}/suppliers"),
        allowed=OFFICER,
        scope=SHARED,
        ok=200,
        json=True,
        data=lambda w: {
            "ungm_number": f"M-{w.serial()}",
            "name": "New",
            "country": "IRQ",
            "sector": "other",
        },
    ),
    get(
        f"{A}/suppliers/{{supplier_id}}",
        lambda w: f"{A}/suppliers/{w.supplier.pk}",
        allowed=OFFICER,
    ),
    post(
        f"{A}/suppliers/{{supplier_id}}/checks",
        lambda w: f"{A}/suppliers/{w.supplier.pk}/checks",
        allowed=OFFICER,
        ok=200,
        json=True,
        data=lambda w: {
            "checked_on": "2026-01-01",
            "outcome": "failed",
            "expires_on": "2027-01-01",
        },
    ),
    post(
        f"{A}/suppliers/{{supplier_id}}/flags",
        lambda w: f"{A}/suppliers/{w.supplier.pk}/flags",
        allowed=OFFICER,
        ok=200,
        json=True,
        data=lambda w: {"kind": "allegation", "detail": "Matrix", "source": "Matrix"},
    ),
    post(
        f"{A}/suppliers/{{supplier_id}}/status",
        lambda w: f"{A}/suppliers/{w.supplier.pk}/status",
        allowed=OFFICER,
        ok=200,
        json=True,
        data=lambda w: {"status": "suspended"},
    ),
]
