"""Matrix entries of the incidents app: incidents, details and abductees are the recording
entity's monitors' alone; the party register and the verified patterns are shared with
monitors and analysts of every entity (counts, never rows); the report to the statistics
is the focal point's; the public figures are public."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.entries import (
    FOCAL,
    MONITOR,
    PATTERNS,
    SHARED,
    const,
    get,
    post,
    serial,
)
from tests.security.world import ABDUCTEE_NAME, NARRATIVE, OPEN_YEAR, incident_raw

A = "/api/v1"
TEMPLATE = (
    "incident_id,date,country,admin1,conflict_situation,party,violation,girls,boys,women,men,"
    "unknown_sex,verification_status\nM-1,2025-01-01,IRQ,Ninewa,Matrix conflict,unknown,"
    "abduction,1,0,0,0,0,reported\n"
)


def _form(w):
    raw = incident_raw(w.conflict)
    return {**raw, "source_1": "Matrix witness", "reliability_1": "reliable"}


def _upload(w):
    return {"file": SimpleUploadedFile("incidents.csv", TEMPLATE.encode()), "dry_run": "on"}


INCIDENTS = [
    get(
        "incidents/",
        const("/incidents/"),
        allowed=MONITOR,
        scope=SHARED,
        never=NARRATIVE,
        hidden=lambda w: w.incident.reference,
    ),
    get(
        "incidents/",
        const("/incidents/?export=csv"),
        allowed=MONITOR,
        scope=SHARED,
        never=NARRATIVE,
        hidden=lambda w: w.incident.reference,
        variant="export",
    ),
    get("incidents/new/", const("/incidents/new/"), allowed=MONITOR, scope=SHARED),
    post("incidents/new/", const("/incidents/new/"), allowed=MONITOR, scope=SHARED, data=_form),
    get("incidents/import/", const("/incidents/import/"), allowed=MONITOR, scope=SHARED),
    post(
        "incidents/import/",
        const("/incidents/import/"),
        allowed=MONITOR,
        scope=SHARED,
        ok=200,
        data=_upload,
    ),
    get("incidents/form.xlsx", const("/incidents/form.xlsx"), allowed=MONITOR, scope=SHARED),
    get("incidents/abductees/", const("/incidents/abductees/"), allowed=MONITOR, scope=SHARED),
    get(
        "incidents/abductees/<int:pk>/",
        lambda w: f"/incidents/abductees/{w.abductee.pk}/",
        allowed=MONITOR,
        never=ABDUCTEE_NAME,
    ),
    post(
        "incidents/abductees/<int:pk>/<str:action>/",
        lambda w: f"/incidents/abductees/{w.abductee.pk}/status/",
        allowed=MONITOR,
        data=lambda w: {"status": "released", "status_on": "2025-03-01"},
    ),
    post(
        "incidents/abductees/<int:pk>/<str:action>/",
        lambda w: f"/incidents/abductees/{w.abductee.pk}/identity/",
        allowed=MONITOR,
        ok=200,  # the identity is in this answer, never kept for a later one
        variant="identity",
    ),
    get(
        "incidents/parties/",
        const("/incidents/parties/"),
        allowed=PATTERNS,
        scope=SHARED,
    ),
    post(
        "incidents/parties/",
        const("/incidents/parties/"),
        allowed=MONITOR,
        scope=SHARED,
        data=lambda w: {
            "situation": w.conflict.pk,
            "name": f"Matrix party {next(serial)}",
            "kind": "other",
        },
    ),
    get(
        "incidents/parties/<int:pk>/",
        lambda w: f"/incidents/parties/{w.party.pk}/",
        allowed=PATTERNS,
        scope=SHARED,
    ),
    post(
        "incidents/parties/<int:pk>/",
        lambda w: f"/incidents/parties/{w.party.pk}/",
        allowed=MONITOR,
        scope=SHARED,
        data=lambda w: {"annex": "caac_i", "year": "2024", "violations": ["abduction"]},
    ),
    get("incidents/patterns/", const("/incidents/patterns/"), allowed=PATTERNS, scope=SHARED),
    get(
        "incidents/patterns.<str:fmt>",
        const("/incidents/patterns.csv"),
        allowed=PATTERNS,
        scope=SHARED,
    ),
    get("incidents/report/", const("/incidents/report/"), allowed=FOCAL, scope=SHARED),
    post(
        "incidents/report/",
        const("/incidents/report/"),
        allowed=FOCAL,
        scope=SHARED,
        data=lambda w: {"year": OPEN_YEAR, "linkage_secret": "matrix-round-secret-2025"},
    ),
    get(
        "incidents/<int:pk>/",
        lambda w: f"/incidents/{w.incident.pk}/",
        allowed=MONITOR,
        never=NARRATIVE,  # shown only after the "details" action
    ),
    get(
        "incidents/<int:pk>/edit/",
        lambda w: f"/incidents/{w.incident.pk}/edit/",
        allowed=MONITOR,
        never=NARRATIVE,
    ),
    post(
        "incidents/<int:pk>/edit/",
        lambda w: f"/incidents/{w.incident.pk}/edit/",
        allowed=MONITOR,
        data=lambda w: {**incident_raw(w.conflict), "girls": "2"},  # never decided here
    ),
    post(
        "incidents/<int:pk>/<str:action>/",
        lambda w: f"/incidents/{w.incident.pk}/start/",
        allowed=MONITOR,
    ),
    post(
        "incidents/<int:pk>/<str:action>/",
        lambda w: f"/incidents/{w.incident.pk}/details/",
        allowed=MONITOR,
        ok=200,  # the narrative is in this answer, never kept for a later one
        variant="details",
    ),
    get("public/incidents/", const("/public/incidents/"), public=True),
]

INCIDENTS_API = [
    get(
        f"{A}/incidents",
        const(f"{A}/incidents"),
        allowed=MONITOR,
        scope=SHARED,
        never=NARRATIVE,
        hidden=lambda w: w.incident.reference,
    ),
    post(
        f"{A}/incidents",
        const(f"{A}/incidents"),
        allowed=MONITOR,
        scope=SHARED,
        ok=200,
        json=True,
        data=lambda w: {**incident_raw(w.conflict), "situation": str(w.conflict.pk)},
    ),
    get(
        f"{A}/incidents/patterns",
        const(f"{A}/incidents/patterns"),
        allowed=PATTERNS,
        scope=SHARED,
    ),
    get(
        f"{A}/incidents/parties",
        const(f"{A}/incidents/parties"),
        allowed=PATTERNS,
        scope=SHARED,
    ),
    get(f"{A}/public/incidents", const(f"{A}/public/incidents"), public=True),
]
