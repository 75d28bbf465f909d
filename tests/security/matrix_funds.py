"""Matrix entries of trust funds: a fund and its grants are its entity's fund managers'
(another entity's get the same 404 as for a missing fund); each fund's portfolio is
public, without any grantee's name."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.entries import SHARED, const, get, post

A = "/api/v1"
MANAGER = frozenset({"fund_manager"})
FOCAL_POINT = frozenset({"focal_point"})
GRANTEE = "Matrix Shelter (fictitious)"
GRANTS = (
    b"grant_id,grantee,country,amount,currency,start,end,status\n"
    b"M-2,Other NGO,IRQ,10.00,USD,2026-01-01,2026-12-31,active\n"
)


def _fund(suffix: str = ""):
    return lambda w: f"/funds/{w.fund.code}/{suffix}"


def _grant(w):  # type: ignore[no-untyped-def]
    return {
        "grant": "1",
        "grant_id": "M-3",
        "grantee": "Third NGO",
        "country": "IRQ",
        "amount": "20",
        "currency": "USD",
        "start": "2026-01-01",
        "end": "2026-06-30",
        "status": "active",
    }


FUNDS = [
    get("funds/", const("/funds/"), allowed=MANAGER, scope=SHARED, hidden=lambda w: w.fund.name),
    post(
        "funds/",
        const("/funds/"),
        allowed=MANAGER,
        scope=SHARED,
        data=lambda w: {"code": f"M{w.serial()}", "name": "Matrix fund", "purpose": "sea"},
    ),
    get("funds/<slug:code>/", _fund(), allowed=MANAGER),
    post("funds/<slug:code>/", _fund(), allowed=MANAGER, data=_grant),
    post(
        "funds/<slug:code>/",
        _fund(),
        allowed=MANAGER,
        ok=200,
        data=lambda w: {"import": "1", "file": SimpleUploadedFile("g.csv", GRANTS)},
        variant="import",
    ),
    get("funds/<slug:code>/grants.csv", _fund("grants.csv"), allowed=MANAGER),
    get("public/funds/", const("/public/funds/"), public=True),
    get(
        "public/funds/<slug:code>/",
        lambda w: f"/public/funds/{w.fund.code}/",
        public=True,
        never=GRANTEE,
    ),
]

FUNDS_API = [
    get(
        f"{A}/funds",
        const(f"{A}/funds"),
        allowed=MANAGER,
        scope=SHARED,
        hidden=lambda w: w.fund.code,
    ),
    get(
        f"{A}/funds/{{code}}/grants",
        lambda w: f"{A}/funds/{w.fund.code}/grants",
        allowed=MANAGER,
    ),
    post(
        f"{A}/funds/{{code}}/grants",
        lambda w: f"{A}/funds/{w.fund.code}/grants",
        allowed=MANAGER,
        ok=200,
        json=True,
        data=lambda w: {k: v for k, v in _grant(w).items() if k != "grant"},
    ),
    get(f"{A}/public/funds", const(f"{A}/public/funds"), public=True, never=GRANTEE),
    get(
        f"{A}/public/funds/{{code}}",
        lambda w: f"{A}/public/funds/{w.fund.code}",
        public=True,
        never=GRANTEE,
    ),
]


FIGURES = {
    "victims": 2,
    "by_sex": {"F": 2},
    "by_age": {"Y_GE18": 2},
    "by_service": {"shelter": 2},
}


def _report(w):  # type: ignore[no-untyped-def]
    return w.fresh_report()


SELECTION = [
    post(
        "funds/<slug:code>/add/<str:what>/",
        lambda w: f"/funds/{w.fund.code}/add/call/",
        allowed=MANAGER,
        data=lambda w: {
            "title": "Another call",
            "opens_on": "2026-04-01",
            "closes_on": "2026-05-01",
        },
    ),
    get(
        "funds/proposals/<int:pk>/",
        lambda w: f"/funds/proposals/{w.fresh_proposal().pk}/",
        allowed=MANAGER,
    ),
    post(
        "funds/proposals/<int:pk>/",
        lambda w: f"/funds/proposals/{w.fresh_proposal(reviewed=True).pk}/",
        allowed=MANAGER,
        data=lambda w: {"decide": "1", "decision": "reserve", "reason": "Matrix"},
    ),
    get("funds/grants/<int:pk>/", lambda w: f"/funds/grants/{w.grant.pk}/", allowed=MANAGER),
    post(
        "funds/grants/<int:pk>/",
        lambda w: f"/funds/grants/{w.grant.pk}/",
        allowed=MANAGER,
        data=lambda w: {
            "instalment": "1",
            "due_on": "2025-03-01",
            "amount": "1.00",
        },
    ),
    get(
        "funds/our-reports/",
        const("/funds/our-reports/"),
        allowed=FOCAL_POINT,
        scope=SHARED,
        hidden=lambda w: "M-1",
    ),
    post(
        "funds/our-reports/",
        const("/funds/our-reports/"),
        allowed=FOCAL_POINT,
        data=lambda w: {"report": str(_report(w))},
    ),
]

SELECTION_API = [
    get(
        f"{A}/funds/{{code}}/proposals",
        lambda w: f"{A}/funds/{w.fund.code}/proposals",
        allowed=MANAGER,
    ),
    post(
        f"{A}/funds/proposals/{{proposal_id}}/reviews",
        lambda w: f"{A}/funds/proposals/{w.fresh_proposal().pk}/reviews",
        allowed=MANAGER,
        ok=200,
        json=True,
        data=lambda w: {"score": 60, "comment": "Matrix"},
    ),
    post(
        f"{A}/funds/proposals/{{proposal_id}}/decision",
        lambda w: f"{A}/funds/proposals/{w.fresh_proposal(reviewed=True).pk}/decision",
        allowed=MANAGER,
        ok=200,
        json=True,
        data=lambda w: {"decision": "reject", "reason": "Matrix"},
    ),
    get(
        f"{A}/funds/grants/{{grant_pk}}/reports",
        lambda w: f"{A}/funds/grants/{w.grant.pk}/reports",
        allowed=MANAGER,
    ),
    get(
        f"{A}/funds/grantee/reports",
        const(f"{A}/funds/grantee/reports"),
        allowed=FOCAL_POINT,
        scope=SHARED,
    ),
    post(
        f"{A}/funds/grantee/reports/{{report_id}}",
        lambda w: f"{A}/funds/grantee/reports/{_report(w)}",
        allowed=FOCAL_POINT,
        ok=200,
    ),
    post(
        f"{A}/funds/reports/{{report_id}}",
        lambda w: f"{A}/funds/reports/{_report(w)}",
        allowed=MANAGER,
        ok=200,
        json=True,
        data=lambda w: FIGURES,
    ),
]

PAYMENTS_API = [
    get(
        f"{A}/funds/grants/{{grant_pk}}",
        lambda w: f"{A}/funds/grants/{w.grant.pk}",
        allowed=MANAGER,
    ),
    post(
        f"{A}/funds/grants/{{grant_pk}}/instalments",
        lambda w: f"{A}/funds/grants/{w.grant.pk}/instalments",
        allowed=MANAGER,
        ok=200,
        json=True,
        data=lambda w: {"due_on": "2025-02-01", "amount": "1.00"},
    ),
    post(
        f"{A}/funds/grants/{{grant_pk}}/disbursements",
        lambda w: f"{A}/funds/grants/{w.grant.pk}/disbursements",
        allowed=MANAGER,
        ok=200,
        json=True,
        data=lambda w: {"paid_on": "2025-02-01", "amount": "1.00"},
    ),
]
