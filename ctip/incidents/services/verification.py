"""Verification: reported → under verification → verified / not verified / unverifiable,
decided by a second monitor (four eyes) with the date and the basis. Only a verified
incident counts in the patterns and the statistics."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.core.values import parse_choice, parse_past_date
from ctip.incidents import policies
from ctip.incidents.codes import DECIDED, IncidentsAction, Verification, VerificationBasis
from ctip.incidents.models import Incident, IncidentDetails

NOTE_LIMIT = 5_000


@transaction.atomic
def verification_start(*, actor: User, incident: Incident) -> Incident:
    """Put a reported incident (or one decided before, when new information comes in)
    under verification. Any monitor of the entity may, the recorder included."""
    policies.require_incident(actor, incident)
    if incident.status == Verification.UNDER_VERIFICATION:
        raise ValidationError(_("The incident is already under verification."))
    previous = incident.status
    incident.status, incident.status_imported = Verification.UNDER_VERIFICATION, False
    incident.basis, incident.decided_on, incident.decided_by = "", None, None
    incident.save(update_fields=["status", "status_imported", "basis", "decided_on", "decided_by"])
    audit_record(
        actor=actor,
        action=IncidentsAction.VERIFICATION,
        target=incident,
        details={"from": previous, "to": incident.status},
    )
    return incident


@transaction.atomic
def verification_decide(*, actor: User, incident: Incident, raw: dict[str, Any]) -> Incident:
    """Decide an incident under verification: verified, not verified or unverifiable, on a
    date, on a basis. Never by the monitor who recorded it."""
    policies.require_incident(actor, incident)
    if not policies.may_decide(actor, incident):
        raise ValidationError(
            _("A second monitor decides: you recorded this incident (four eyes).")
        )
    if incident.status != Verification.UNDER_VERIFICATION:
        raise ValidationError(_("Put the incident under verification first."))
    errors: dict[str, str] = {}
    status = parse_choice(raw.get("status"), "status", Verification, errors)
    if status and status not in DECIDED:
        errors["status"] = _("One of: %(codes)s") % {"codes": ", ".join(sorted(DECIDED))}
    basis = parse_choice(raw.get("basis"), "basis", VerificationBasis, errors)
    decided_on = parse_past_date(raw.get("decided_on"), "decided_on", errors, required=True)
    if decided_on and decided_on < incident.date:
        errors["decided_on"] = _("A decision cannot come before the incident.")
    note = str(raw.get("note") or "").strip()
    if len(note) > NOTE_LIMIT:
        errors["note"] = _("At most %(n)s characters.") % {"n": f"{NOTE_LIMIT:,}"}
    if errors:
        raise ValidationError(errors)
    incident.status, incident.basis, incident.decided_on = status, basis, decided_on
    incident.decided_by, incident.status_imported = actor, False
    incident.save(update_fields=["status", "basis", "decided_on", "decided_by", "status_imported"])
    IncidentDetails.objects.update_or_create(incident=incident, defaults={"decision_note": note})
    audit_record(
        actor=actor,
        action=IncidentsAction.VERIFICATION,
        target=incident,
        details={
            "from": Verification.UNDER_VERIFICATION,
            "to": status,
            "basis": basis,
            "late": incident.late,
        },
    )
    return incident
