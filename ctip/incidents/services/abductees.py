"""Each abducted person followed until free and assisted: status, dates and the party
holding them; on release or escape, with the person's consent, a referral opens a case so
that assistance follows. Identities are encrypted apart and read only by the audited view."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.cases.models import Case
from ctip.cases.services import case_open_on_referral
from ctip.core.audit import audit_record
from ctip.core.models import Entity, User
from ctip.core.values import parse_choice, parse_past_date
from ctip.incidents import policies
from ctip.incidents.codes import (
    EXPLOITATION,
    FREE,
    AbducteeStatus,
    IncidentsAction,
    VictimGroup,
    Violation,
)
from ctip.incidents.models import Abductee, AbducteeIdentity, Incident, Party
from ctip.incidents.services.parties import party_resolve

IDENTITY_LIMITS = {"names": 500, "date_of_birth": 40, "notes": 5_000}
# a case's sex and age band from the MRM's victim group
CASE_SEX = {"girls": "F", "women": "F", "boys": "M", "men": "M", "unknown_sex": "_U"}


def _held_by(incident: Incident, raw: Any, errors: dict[str, str]) -> Party | None:
    try:
        return party_resolve(incident.situation, raw)
    except LookupError:
        errors["held_by"] = _("A party of %(situation)s, or empty.") % {
            "situation": incident.situation.name
        }
        return None


def _history(abductee: Abductee, actor: User | None) -> None:
    abductee.history = [
        *abductee.history,
        {
            "status": abductee.status,
            "on": abductee.status_on.isoformat(),
            "party": abductee.held_by.name if abductee.held_by else "",
            "by": actor.pk if actor else None,
        },
    ]


@transaction.atomic
def abductee_add(*, actor: User, incident: Incident, raw: dict[str, Any]) -> Abductee:
    """One person of an abduction's count, by group; no more people of a group than the
    incident counts."""
    policies.require_incident(actor, incident)
    errors: dict[str, str] = {}
    if Violation.ABDUCTION not in incident.violation_codes:
        raise ValidationError(_("Only an abduction has abductees to follow."))
    group = parse_choice(raw.get("group"), "group", VictimGroup, errors)
    if group and incident.abductees.filter(group=group).count() >= getattr(incident, group):
        errors["group"] = _("The incident counts %(n)s of this group: change its counts first.") % {
            "n": getattr(incident, group)
        }
    status = parse_choice(
        raw.get("status") or AbducteeStatus.HELD, "status", AbducteeStatus, errors
    )
    status_on = parse_past_date(raw.get("status_on"), "status_on", errors) or incident.date
    held_by = _held_by(incident, raw.get("held_by", incident.party_id or ""), errors)
    identity = {}
    for name, limit in IDENTITY_LIMITS.items():
        identity[name] = str(raw.get(name) or "").strip()
        if len(identity[name]) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
    if errors:
        raise ValidationError(errors)
    abductee = Abductee(
        incident=incident, group=group, status=status, status_on=status_on, held_by=held_by
    )
    _history(abductee, actor)
    abductee.save()
    AbducteeIdentity.objects.create(abductee=abductee, **identity)
    audit_record(
        actor=actor,
        action=IncidentsAction.ABDUCTEE_ADDED,
        target=abductee,
        details={"incident": incident.reference, "group": group, "status": status},
    )
    return abductee


@transaction.atomic
def abductee_status(*, actor: User, abductee: Abductee, raw: dict[str, Any]) -> Abductee:
    """A new status from a date; the party holding them while held."""
    policies.require_incident(actor, abductee.incident)
    errors: dict[str, str] = {}
    status = parse_choice(raw.get("status"), "status", AbducteeStatus, errors)
    status_on = parse_past_date(raw.get("status_on"), "status_on", errors, required=True)
    if status_on and status_on < abductee.incident.date:
        errors["status_on"] = _("A date cannot come before the abduction.")
    held_by = _held_by(abductee.incident, raw.get("held_by"), errors)
    if errors:
        raise ValidationError(errors)
    abductee.status, abductee.status_on = status, status_on
    abductee.held_by = held_by if status == AbducteeStatus.HELD else abductee.held_by
    _history(abductee, actor)
    abductee.save(update_fields=["status", "status_on", "held_by", "history"])
    audit_record(
        actor=actor,
        action=IncidentsAction.ABDUCTEE_STATUS,
        target=abductee,
        details={"status": status, "on": status_on.isoformat()},
    )
    return abductee


@transaction.atomic
def abductee_refer(
    *, actor: User, abductee: Abductee, to_entity: Entity, raw: dict[str, Any]
) -> Case:
    """Open a case for a person who is free, in the monitor's entity or another, with the
    person's consent to referral (and to sharing, when the case goes to another entity):
    the identity goes with it, so assistance can follow."""
    policies.require_incident(actor, abductee.incident)
    if abductee.status not in FREE:
        raise ValidationError(_("Refer a person once they are free (escaped, released or home)."))
    if abductee.case_id:
        raise ValidationError(_("This person was referred already."))
    errors: dict[str, str] = {}
    consent_on = parse_past_date(raw.get("consent_date"), "consent_date", errors, required=True)
    if not raw.get("consent_referral"):
        errors["consent_referral"] = _("Refer only with the person's consent.")
    elsewhere = to_entity.pk != actor.entity_id
    if elsewhere and not raw.get("consent_sharing"):
        errors["consent_sharing"] = _(
            "The identity goes to another entity only with consent to data sharing."
        )
    if errors:
        raise ValidationError(errors)
    identity = AbducteeIdentity.objects.filter(abductee_id=abductee.pk).first()
    incident = abductee.incident
    case = case_open_on_referral(
        referred_by=actor,
        entity=to_entity,
        raw={
            "names": identity.names if identity else "",
            "date_of_birth": identity.date_of_birth if identity else "",
            "sex": CASE_SEX[abductee.group],
            "age_band": "9--17" if abductee.group in ("girls", "boys") else "unknown",
            "country_of_detection": incident.country_id,
            "conflict_situation": str(incident.situation_id),
            "identified_on": abductee.status_on.isoformat(),
            "displacement_status": "unknown",
            "forms_of_exploitation": _forms(incident),
            "consent_referral": "yes",
            "consent_sharing": "yes" if raw.get("consent_sharing") else "no",
            "consent_date": consent_on.isoformat(),
            "caseworker": raw.get("caseworker") or "",
        },
        note=incident.reference,
    )
    abductee.case = case
    abductee.save(update_fields=["case"])
    audit_record(
        actor=actor,
        action=IncidentsAction.ABDUCTEE_REFERRED,
        target=abductee,
        details={"case": case.reference, "to": to_entity.code},
    )
    return case


def _forms(incident: Incident) -> list[str]:
    return sorted({f for v in incident.violation_codes for f in EXPLOITATION.get(v, ())})


@transaction.atomic
def abductee_identity_view(*, actor: User, abductee: Abductee) -> dict[str, str]:
    """The audited read of one abductee's identity, for the response being built."""
    policies.require_incident(actor, abductee.incident)
    audit_record(
        actor=actor,
        action=IncidentsAction.ABDUCTEE_VIEWED,
        target=abductee,
        details={"incident": abductee.incident.reference},
    )
    found = AbducteeIdentity.objects.filter(abductee_id=abductee.pk).first()
    return {name: getattr(found, name, "") or "" for name in IDENTITY_LIMITS}
