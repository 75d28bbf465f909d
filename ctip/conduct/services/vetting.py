"""Before deployment: vetting a person against substantiated allegations, and Member States'
certifications of their units."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.conduct import policies, selectors
from ctip.conduct.codes import ConductAction
from ctip.conduct.models import UnitCertification, VettingCheck, unit_key
from ctip.conduct.services.units import unit_for_typed
from ctip.conduct.services.values import SUBJECT_PURPOSE, parse_people
from ctip.core.audit import audit_record
from ctip.core.crypto import blind_index
from ctip.core.models import Country, User
from ctip.core.values import parse_flag, parse_past_date


@transaction.atomic
def vetting_check(*, actor: User, identifier: str, purpose: str = "") -> bool:
    """Hit when the person is the subject of a substantiated allegation anywhere. Only the
    keyed hash of the identifier is compared; neither it nor the answer's details are kept."""
    policies.require_reader(actor)
    if not identifier.strip():
        raise ValidationError({"identifier": _("This field is required.")})
    hit = selectors.substantiated_anywhere(
        user=actor, subject_hash=blind_index(identifier, purpose=SUBJECT_PURPOSE)
    )
    check = VettingCheck.objects.create(
        entity=actor.entity, checked_by=actor, hit=hit, purpose=purpose.strip()[:200]
    )
    audit_record(
        actor=actor,
        action=ConductAction.VETTING_CHECKED,
        target=check,
        details={"hit": int(hit)},
    )
    return hit


@transaction.atomic
def certification_save(*, actor: User, raw: dict[str, Any]) -> UnitCertification:
    """A Member State's certification of a unit for a mission; incomplete ones show missing.
    The unit is stored as the registered unit it names (an unknown one is registered), so a
    certification typed "Banbat 2" is the one of "BANBAT-2"."""
    policies.require_reader(actor)
    errors: dict[str, str] = {}
    code = str(raw.get("country") or "").strip().upper()
    country = Country.objects.filter(alpha3=code).first() if len(code) == 3 else None
    if country is None:
        errors["country"] = _("An ISO 3166 alpha-3 country code, e.g. IRQ.")
    unit = str(raw.get("unit") or "").strip()[:120]
    if not unit_key(unit):
        errors["unit"] = _("This field is required.")
    deployed = parse_past_date(raw.get("deployed_on"), "deployed_on", errors, required=True)
    certified = parse_past_date(raw.get("certified_on"), "certified_on", errors)
    personnel = parse_people(raw.get("personnel"), "personnel", errors)
    flags = {}
    for name in ("training_done", "no_prior_misconduct"):
        try:
            flags[name] = bool(parse_flag(raw.get(name)))
        except ValueError:
            errors[name] = _("Yes or no.")
    if errors:
        raise ValidationError(errors)
    registered = unit_for_typed(actor=actor, entity=actor.entity, country=country, typed=unit)
    if registered is None:  # not reached: a unit without a key is refused above
        raise ValidationError({"unit": _("This field is required.")})
    certification, _created = UnitCertification.objects.update_or_create(
        entity=actor.entity,
        country=country,
        unit=registered.name,
        deployed_on=deployed,
        defaults={
            "registered_unit": registered,
            "certified_on": certified,
            "personnel": personnel,
            "recorded_by": actor,
            **flags,
        },
    )
    audit_record(
        actor=actor,
        action=ConductAction.CERTIFICATION_SAVED,
        target=certification,
        details={"country": code, "complete": int(certification.complete)},
    )
    return certification
