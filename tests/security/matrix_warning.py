"""Matrix entries of early warning: a situation's signals, assessments and alerts are for
the analysts and monitors who watch it (the own entity's watch the matrix conflict; the
other entity's do not, and get the same 404 as for a missing situation); analysts record
assessments, and a second analyst who watches clears one for publication (any who watches
withdraws it); administrators decide who watches; the framework, with the situations
cleared for publication, is public."""

from __future__ import annotations

from datetime import date

from ctip.core.codes import Role
from ctip.core.testing import make_user
from ctip.warning import services as warning
from tests.security.entries import ADMIN, ANALYST, SHARED, const, get, post
from tests.security.world import WARNING_EVIDENCE

A = "/api/v1"
WATCHERS = frozenset({"analyst", "monitor"})
NAME = "Matrix conflict"


def _situation(suffix: str = ""):
    return lambda w: f"/warning/situations/{w.conflict.pk}/{suffix}"


def _assessment(w):  # type: ignore[no-untyped-def]
    return {"as_of": "2026-01-15", "score_1_1": "1", "evidence_1_1": "Matrix", "summary": ""}


def _fresh_assessment(w, *, shared: bool = False) -> str:  # type: ignore[no-untyped-def]
    """The matrix conflict's latest assessment, with a level, by a new analyst of the own
    entity who watches it: the own analyst, a second pair of eyes, may clear it; `shared`:
    cleared already, so that it can be withdrawn."""
    author = make_user(w.actors.entity, Role.ANALYST)
    warning.watch_add(actor=w.own(Role.ADMINISTRATOR), situation=w.conflict, user=author)
    scores = {c: {"score": 2, "evidence": "Matrix"} for c in ("1.1", "1.x", "2.1", "4.x", "5.1")}
    assessment = warning.assessment_record(
        actor=author, situation=w.conflict, as_of=date.today(), scores=scores
    )
    if shared:
        warning.assessment_share(actor=w.own(Role.ANALYST), assessment=assessment)
    return f"/warning/assessments/{assessment.pk}/{'unshare' if shared else 'share'}/"


WARNING = [
    get("warning/", const("/warning/"), allowed=WATCHERS, scope=SHARED, hidden=lambda w: NAME),
    get(
        "warning/situations/<int:pk>/",
        _situation(),
        allowed=WATCHERS,
        never=WARNING_EVIDENCE,
    ),
    get("warning/situations/<int:pk>/assess/", _situation("assess/"), allowed=ANALYST),
    post(
        "warning/situations/<int:pk>/assess/",
        _situation("assess/"),
        allowed=ANALYST,
        data=_assessment,
    ),
    get(
        "warning/situations/<int:pk>/export.<str:fmt>",
        lambda w: f"/warning/situations/{w.conflict.pk}/export.xlsx",
        allowed=WATCHERS,
    ),
    get(
        "warning/assessments/<int:pk>/",
        lambda w: f"/warning/assessments/{w.assessment.pk}/",
        allowed=WATCHERS,
    ),
    post(
        "warning/assessments/<int:pk>/share/",
        _fresh_assessment,
        allowed=ANALYST,
    ),
    post(
        "warning/assessments/<int:pk>/unshare/",
        lambda w: _fresh_assessment(w, shared=True),
        allowed=ANALYST,
    ),
    get(
        "warning/alerts/",
        const("/warning/alerts/"),
        allowed=WATCHERS,
        scope=SHARED,
        hidden=lambda w: NAME,
    ),
    post(
        "warning/alerts/<int:pk>/acknowledge/",
        lambda w: f"/warning/alerts/{w.fresh_alert().pk}/acknowledge/",
        allowed=WATCHERS,
        data=lambda w: {"note": "Matrix follow-up"},
    ),
    get("warning/watchers/", const("/warning/watchers/"), allowed=ADMIN, scope=SHARED),
    post(
        "warning/watchers/",
        const("/warning/watchers/"),
        allowed=ADMIN,
        scope=SHARED,
        data=lambda w: {
            "add": "1",
            "situation": str(w.conflict.pk),
            "user": str(w.own("analyst").pk),
        },
    ),
    get(
        "public/early-warning/",
        const("/public/early-warning/"),
        public=True,
        never=WARNING_EVIDENCE,
    ),
]

WARNING_API = [
    get(
        f"{A}/warning/situations",
        const(f"{A}/warning/situations"),
        allowed=WATCHERS,
        scope=SHARED,
        hidden=lambda w: NAME,
        never=WARNING_EVIDENCE,
    ),
    get(
        f"{A}/warning/situations/{{situation_id}}",
        lambda w: f"{A}/warning/situations/{w.conflict.pk}",
        allowed=WATCHERS,
        never=WARNING_EVIDENCE,
    ),
    post(
        f"{A}/warning/situations/{{situation_id}}/assessments",
        lambda w: f"{A}/warning/situations/{w.conflict.pk}/assessments",
        allowed=ANALYST,
        ok=200,
        json=True,
        data=lambda w: {"as_of": "2026-01-15", "scores": {"1.1": {"score": 1, "evidence": "M"}}},
    ),
    get(
        f"{A}/warning/alerts",
        const(f"{A}/warning/alerts"),
        allowed=WATCHERS,
        scope=SHARED,
    ),
    post(
        f"{A}/warning/alerts/{{alert_id}}/acknowledge",
        lambda w: f"{A}/warning/alerts/{w.fresh_alert().pk}/acknowledge",
        allowed=WATCHERS,
        ok=200,
        json=True,
        data=lambda w: {"note": "Matrix follow-up"},
    ),
    get(
        f"{A}/public/warning/framework",
        const(f"{A}/public/warning/framework"),
        public=True,
        never=WARNING_EVIDENCE,
    ),
]
