"""Reads of incidents, parties and abductees, each taking the user and going through
`ctip.incidents.policies`. None loads `IncidentDetails` or `AbducteeIdentity`: those are
read by the audited services alone. A missing row and another entity's give the same 404."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from ctip.core.models import User
from ctip.core.selectors import YearMonth, known_on, one_or_404
from ctip.core.values import parse_id
from ctip.incidents import policies
from ctip.incidents.codes import Verification
from ctip.incidents.models import Abductee, Incident, Listing, Party


def incidents_for(
    *, user: User, status: str = "", situation: Any = None, party: Any = None
) -> QuerySet[Incident]:
    """The entity's incidents; an unknown filter value finds nothing rather than an error."""
    found = policies.incidents_scope(user).select_related("situation", "party", "country")
    if status:
        found = found.filter(status=status) if status in Verification.values else found.none()
    if situation not in (None, ""):
        found = found.filter(situation_id=parse_id(situation) or 0)
    if party not in (None, ""):
        found = found.filter(party_id=parse_id(party) or 0)
    return found


def incident_get(*, user: User, incident_id: Any) -> Incident:
    return one_or_404(incidents_for(user=user), incident_id)


def awaiting_decision(*, user: User) -> QuerySet[Incident]:
    """Under verification, recorded by someone else: what this monitor may decide."""
    return (
        incidents_for(user=user, status=Verification.UNDER_VERIFICATION)
        .exclude(recorded_by=user)
        .order_by("date")
    )


def abductees_of(*, user: User, incident: Incident) -> QuerySet[Abductee]:
    policies.require_incident(user, incident)
    return policies.abductees_scope(user).filter(incident=incident).select_related("held_by")


def abductee_get(*, user: User, abductee_id: Any) -> Abductee:
    return one_or_404(policies.abductees_scope(user).select_related("incident"), abductee_id)


def abductees_for(*, user: User, status: str = "") -> QuerySet[Abductee]:
    found = policies.abductees_scope(user).select_related("incident", "held_by")
    return found.filter(status=status) if status else found


def parties_for(*, user: User, situation: Any = None) -> QuerySet[Party]:
    found = policies.parties_scope(user).select_related("situation")
    if situation not in (None, ""):
        found = found.filter(situation_id=parse_id(situation) or 0)
    return found


def party_get(*, user: User, party_id: Any) -> Party:
    return one_or_404(parties_for(user=user), party_id)


def listings_of(*, user: User, party: Party) -> QuerySet[Listing]:
    policies.require_pattern_reader(user)
    return Listing.objects.filter(party=party)


def patterns_for(*, user: User) -> QuerySet[Incident]:
    """Verified incidents to count (never to list): see `policies.patterns_scope`."""
    return policies.patterns_scope(user)


def counted_for(*, user: User) -> QuerySet[Incident]:
    """Incidents of every status to count (never to list): see `policies.counting_scope`."""
    return policies.counting_scope(user)


def verified_by_month(until: datetime.date) -> list[dict[str, Any]]:
    """Verified incidents counted per situation, month and set of violations, with their
    victims: for the early-warning signals, which the system computes for the situations'
    watchers (`ctip.warning.policies`). Counts only, never a row. As of `until`: incidents
    until then, verified by then (or verified elsewhere, on a date not known)."""
    verified = Incident.objects.filter(status=Verification.VERIFIED, date__lte=until).filter(
        Q(decided_on__isnull=True) | Q(decided_on__lte=until)
    )
    return list(
        known_on(verified, until)
        .values("situation_id", "violations", month=YearMonth("date"))
        .annotate(incidents=Count("pk"), victims=Sum("victims"))
        .order_by()
    )
