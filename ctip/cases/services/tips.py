"""Anonymous tips: received from the public page, kept encrypted, read only by an audited
service, triaged by the entity's field staff."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ctip.cases import policies
from ctip.cases.codes import CasesAction, TipStatus
from ctip.cases.models import Tip
from ctip.core.audit import audit_record
from ctip.core.models import Entity, User
from ctip.core.policies import not_found
from ctip.core.services import identity_viewed, notify

TIP_LIMITS = {"what": 20_000, "where": 500, "contact": 500}


@transaction.atomic
def tip_receive(*, entity: Entity, raw: dict[str, Any]) -> Tip:
    """A tip from the public page (no sign-in): kept encrypted; the entity is told."""
    errors: dict[str, str] = {}
    values = {}
    for name, limit in TIP_LIMITS.items():
        text = str(raw.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
        values[name] = text
    if not values["what"]:
        errors["what"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    tip = Tip.objects.create(entity=entity, **values)
    audit_record(
        actor=None, action=CasesAction.TIP_RECEIVED, target=tip, entity=entity, actor_label="public"
    )
    notify(
        list(entity.users.filter(role__in=policies.FIELD_STAFF, is_active=True)),
        _("New anonymous tip"),
        _("An anonymous tip about a possible case of trafficking arrived."),
        reverse("cases:tips"),
    )
    return tip


@transaction.atomic
def tip_read(*, actor: User, tip: Tip) -> dict[str, str]:
    """The tip's text, place and the tipster's contact, for the entity's field staff: each
    reading in the audit log, like any identity view. Never keep the result."""
    if not policies.may_triage(actor, tip):
        policies.require_field_staff(actor)
        raise not_found()
    identity_viewed(actor=actor, target=tip, fields=list(TIP_LIMITS))
    found = Tip.objects.filter(pk=tip.pk).values(*TIP_LIMITS).first() or {}
    return {name: found.get(name) or "" for name in TIP_LIMITS}


@transaction.atomic
def tip_triage(*, actor: User, tip: Tip, status: str, note: str = "") -> Tip:
    policies.require_field_staff(actor)
    if not policies.may_triage(actor, tip):
        raise not_found()
    if status not in TipStatus.values or status == TipStatus.NEW:
        raise ValidationError(
            {"status": _("One of: %(codes)s") % {"codes": ", ".join(TipStatus.values[1:])}}
        )
    if status == TipStatus.DISMISSED and not note.strip():
        raise ValidationError({"note": _("Say why the tip is dismissed.")})
    tip.status, tip.triage_note, tip.triaged_by = status, note.strip()[:500], actor
    tip.save(update_fields=["status", "triage_note", "triaged_by"])
    audit_record(
        actor=actor, action=CasesAction.TIP_TRIAGED, target=tip, details={"status": status}
    )
    return tip
