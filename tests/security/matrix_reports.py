"""Matrix entries of the annual report: one report for the UN system, so its pages are
shared by the analysts and administrators of every UN entity; nobody else reaches them."""

from __future__ import annotations

from tests.security.entries import ANALYSTS, SHARED, const, get, post
from tests.security.world import PUBLISHED_YEAR

TEXT = f"/reports/{PUBLISHED_YEAR}/introduction/en/"


def _version(w) -> dict:  # type: ignore[no-untyped-def]
    from ctip.reports.models import Narrative

    found = Narrative.objects.filter(year=PUBLISHED_YEAR, section="introduction", language="en")
    return {"version": str(found.get().version)}


REPORTS = [
    get("reports/", const("/reports/"), allowed=ANALYSTS, scope=SHARED),
    get(
        "reports/<int:year>/", const(f"/reports/{PUBLISHED_YEAR}/"), allowed=ANALYSTS, scope=SHARED
    ),
    post(
        "reports/<int:year>/build/",
        const(f"/reports/{PUBLISHED_YEAR}/build/"),
        allowed=ANALYSTS,
        scope=SHARED,
        data=lambda w: {"language": "ar", "output": "docx"},
    ),
    get(
        "reports/<int:year>/<str:section>/<str:language>/",
        const(TEXT),
        allowed=ANALYSTS,
        scope=SHARED,
    ),
    post(
        "reports/<int:year>/<str:section>/<str:language>/",
        const(TEXT),
        allowed=ANALYSTS,
        scope=SHARED,
        data=lambda w: {"text": f"Matrix text {w.serial()} for {{year}}."},
    ),
    post(
        "reports/<int:year>/<str:section>/<str:language>/approve/",
        lambda w: w.report_text_to_approve(),
        allowed=ANALYSTS,
        scope=SHARED,
        data=_version,
    ),
]
