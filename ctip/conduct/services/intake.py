"""Recording an allegation (one validation for the staff form, the public form and the API;
people told at once, never the details by e-mail) and the audited identity read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.conduct import policies
from ctip.conduct.codes import Category, Channel, ConductAction, PersonnelCategory
from ctip.conduct.models import Allegation, AllegationIdentity
from ctip.conduct.services.units import unit_for_typed
from ctip.conduct.services.values import (
    SUBJECT_PURPOSE,
    allegation_path,
    parse_choice,
    parse_people,
)
from ctip.core.audit import audit_record
from ctip.core.crypto import blind_index
from ctip.core.models import Country, Entity, User
from ctip.core.services import notify
from ctip.core.values import parse_past_date

TEXT_LIMITS = {
    "victim_identities": 5_000,
    "subject_identity": 2_000,
    "account": 20_000,
    "unit": 120,
}
IDENTITY_FIELDS = ("victim_identities", "subject_identity", "account")


def clean_allegation(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate raw input (strings) into model values; ValidationError names the fields."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "channel": parse_choice(raw.get("channel"), "channel", Channel, errors),
        "category": parse_choice(raw.get("category"), "category", Category, errors),
        "personnel_category": parse_choice(
            raw.get("personnel_category") or PersonnelCategory.UNKNOWN,
            "personnel_category",
            PersonnelCategory,
            errors,
        ),
        "incident_date": parse_past_date(raw.get("incident_date"), "incident_date", errors),
        "reported_on": parse_past_date(raw.get("reported_on"), "reported_on", errors)
        or timezone.localdate(),
    }
    if values["incident_date"] and values["incident_date"] > values["reported_on"]:
        errors["incident_date"] = _("The incident cannot come after the report.")
    for name, default in (("victims_count", 1), ("victims_minors", 0)):
        values[name] = parse_people(raw.get(name), name, errors, default)
    for name in ("victims_female", "victims_male"):
        values[name] = parse_people(raw.get(name), name, errors)
    if values["victims_minors"] > values["victims_count"]:
        errors["victims_minors"] = _("More minors than victims.")
    if values["victims_female"] + values["victims_male"] > values["victims_count"]:
        errors["victims_female"] = _("More women and men than victims.")
    for name, limit in TEXT_LIMITS.items():
        text = str(raw.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
        values[name] = text
    code = str(raw.get("contingent_country") or "").strip().upper()
    values["contingent_country"] = (
        Country.objects.filter(alpha3=code).first() if len(code) == 3 else None
    )
    if code and values["contingent_country"] is None:
        errors["contingent_country"] = _("An ISO 3166 alpha-3 country code, e.g. IRQ.")
    identifier = str(raw.get("subject_identifier") or "").strip()
    if len(identifier) > 200:
        errors["subject_identifier"] = _("At most %(n)s characters.") % {"n": "200"}
    values["subject_hash"] = blind_index(identifier, purpose=SUBJECT_PURPOSE) if identifier else ""
    if errors:
        raise ValidationError(errors)
    return values


def _next_reference(entity: Entity, year: int) -> str:
    prefix = f"{entity.code}-{year}-"
    taken = Allegation.objects.filter(reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def allegation_record(
    *, actor: User | None, entity: Entity, raw: dict[str, Any], actor_label: str = ""
) -> Allegation:
    """Record an allegation at once: it is in the register the moment it is saved, and the
    entity's focal points and conduct officers (and the system-wide ones) are told. The unit
    is stored as the registered unit it names; an unknown one is registered."""
    if actor is not None:
        policies.require_recorder(actor)
    values = clean_allegation(raw)
    if actor is None:
        values["channel"] = Channel.PUBLIC_FORM
    unit = unit_for_typed(
        actor=actor,
        entity=entity,
        country=values["contingent_country"],
        typed=values["unit"],
        actor_label=actor_label,
    )
    values["registered_unit"], values["unit"] = unit, unit.name if unit else ""
    identity = {name: values.pop(name) for name in IDENTITY_FIELDS}
    Entity.objects.select_for_update().filter(pk=entity.pk).first()  # one reference at a time
    allegation = Allegation.objects.create(
        entity=entity,
        reference=_next_reference(entity, values["reported_on"].year),
        created_by=actor,
        **values,
    )
    AllegationIdentity.objects.create(allegation=allegation, **identity)
    audit_record(
        actor=actor,
        action=ConductAction.ALLEGATION_RECORDED,
        target=allegation,
        entity=entity,
        details={"reference": allegation.reference, "channel": allegation.channel},
        actor_label=actor_label,
    )
    subject = _("New allegation %(ref)s") % {"ref": allegation.reference}
    body = _(
        "An allegation of sexual exploitation or abuse was recorded for %(entity)s: %(ref)s."
    ) % {"entity": entity.code, "ref": allegation.reference}
    notify(list(policies.officers_to_tell(entity)), subject, body, allegation_path(allegation.pk))
    # focal points are told that something came in; only conduct officers can open it
    notify(list(policies.focal_points_to_tell(entity)), subject, body)
    return allegation


@dataclass(frozen=True)
class Identities:
    """What the audited identity read returns: for one response, never to be stored."""

    victim_identities: str
    subject_identity: str
    account: str


@transaction.atomic
def identities_view(*, actor: User, allegation: Allegation) -> Identities:
    """The encrypted parts, shown on purpose and audited every time: the audit event is
    written before anything is decrypted, and nothing is returned if it fails."""
    policies.require_allegation(actor, allegation)
    audit_record(
        actor=actor,
        action=ConductAction.IDENTITY_VIEWED,
        target=allegation,
        entity=allegation.entity,
        details={"reference": allegation.reference},
    )
    # the one read of the identity table
    identity = AllegationIdentity.objects.filter(allegation_id=allegation.pk).first()
    if identity is None:
        return Identities("", "", "")
    return Identities(identity.victim_identities, identity.subject_identity, identity.account)
