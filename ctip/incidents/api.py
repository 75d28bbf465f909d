"""Incidents over the API (monitors, scoped like the pages), the patterns (monitors and
analysts, verified incidents only) and the public figures. No narrative, source or
abductee identity leaves through the API."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from ctip.core.api import request_invalid
from ctip.core.models import User
from ctip.incidents import patterns, selectors, services
from ctip.incidents.codes import Verification
from ctip.incidents.models import GROUPS, Incident
from ctip.incidents.schemas import IncidentIn
from ctip.statistics.disclosure import published_value

router = Router(tags=["incidents"])
public_router = Router(tags=["public incidents"], auth=None)


def incident_row(incident: Incident) -> dict[str, Any]:
    return {
        "reference": incident.reference,
        "incident_id": incident.external_id,
        "situation": incident.situation.name,
        "date": incident.date.isoformat(),
        "date_to": incident.date_to.isoformat() if incident.date_to else None,
        "country": incident.country_id,
        "admin1": incident.admin1,
        "party": incident.party.name if incident.party else None,
        "violations": incident.violation_codes,
        **{group: getattr(incident, group) for group in GROUPS},
        "verification_status": incident.status,
        "status_imported": incident.status_imported,
        "late_verification": incident.late,
    }


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@router.get("/incidents")
def incidents(request: HttpRequest, status: Verification | None = None) -> list[dict[str, Any]]:
    """The caller's entity's incidents (monitors), without narrative or sources."""
    found = selectors.incidents_for(user=_user(request), status=status or "")
    return [incident_row(i) for i in found[:5000]]


@router.post("/incidents")
def record(request: HttpRequest, payload: IncidentIn) -> dict[str, Any]:
    """Record an incident for the caller's entity; a 422 names each bad field."""
    raw = payload.dict()
    raw["sources"] = [dict(s) for s in raw["sources"]]
    try:
        incident = services.incident_record(actor=_user(request), raw=raw)
    except ValidationError as error:
        raise request_invalid(error) from None
    return incident_row(incident)


@router.get("/incidents/patterns")
def incident_patterns(
    request: HttpRequest,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> dict[str, Any]:
    """Verified incidents and victims per party × violation × year: the caller's entity's
    for a monitor, every entity's for an analyst."""
    rows = patterns.pattern_rows(selectors.patterns_for(user=_user(request)), date_from, date_to)
    return {
        "verified_only": True,
        "columns": patterns.PATTERN_COLUMNS,
        "rows": [dict(zip(patterns.PATTERN_COLUMNS, r.as_list(), strict=True)) for r in rows],
    }


@router.get("/incidents/parties")
def parties(request: HttpRequest) -> list[dict[str, Any]]:
    """The register of parties to conflict, with aliases and listings."""
    found = selectors.parties_for(user=_user(request)).prefetch_related("listings")
    return [
        {
            "id": p.pk,
            "situation": p.situation.name,
            "name": p.name,
            "kind": p.kind,
            "aliases": p.alias_list,
            "listings": [
                {"annex": lst.annex, "year": lst.year, "violations": lst.violation_codes}
                for lst in p.listings.all()
            ],
        }
        for p in found
    ]


@public_router.get("/public/incidents")
def public(request: HttpRequest) -> dict[str, Any]:
    """Verified incidents and victims per situation and year, and verified abductions by
    party (`abductions_by_party`: per situation-year a total row with `party` null, the
    parties the United Nations has listed by name, then `party` "other" for every other
    perpetrator), all under one disclosure control."""
    rows, k = patterns.public_figures()
    abductions, _k = patterns.public_abductions()
    return {
        "threshold": k,
        "verified_only": True,
        "rows": [
            {
                "situation": r.situation,
                "year": r.year,
                "verified_incidents": published_value(r.incidents),
                "victims": published_value(r.victims),
                **{g: published_value(shown) for g, shown in r.groups.items()},
            }
            for r in rows
        ],
        "abductions_by_party": [
            {
                "situation": r.situation,
                "year": r.year,
                "party": None if r.is_total else r.party,
                "listed": r.listed,
                "verified_incidents": published_value(r.incidents),
                "victims": published_value(r.victims),
            }
            for r in abductions
        ],
    }
