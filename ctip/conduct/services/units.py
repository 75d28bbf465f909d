"""The register of units. A unit typed on an allegation or a certification is stored as the
registered unit whose key it shares ("BANBAT-2" and "Banbat 2" are one unit); an unknown one
is registered there and then, audited, so that recording is never blocked. Conduct officers
add units and merge one into another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.conduct import policies
from ctip.conduct.codes import ConductAction, UnitError
from ctip.conduct.models import Allegation, Unit, UnitCertification, unit_key, unit_name
from ctip.core.audit import audit_record
from ctip.core.models import Country, Entity, User


def _error(field: str, code: UnitError, message: str = "") -> ValidationError:
    return ValidationError({field: ValidationError(message or str(code.label), code=code.value)})


def _registered(unit: Unit, *, actor: User | None, actor_label: str = "") -> None:
    audit_record(
        actor=actor,
        action=ConductAction.UNIT_REGISTERED,
        target=unit,
        entity=unit.entity,
        details={"unit": unit.name, "country": unit.country_id or ""},
        actor_label=actor_label,
    )


@transaction.atomic
def unit_for_typed(
    *,
    actor: User | None,
    entity: Entity,
    country: Country | None,
    typed: str,
    actor_label: str = "",
) -> Unit | None:
    """The registered unit that `typed` names in the contingent of `country` in `entity`:
    the unit with the same key (or, for the alias of a merged unit, the unit it was merged
    into), or a unit registered now, audited. None when nothing that names a unit was typed.
    Called inside the services that record allegations and certifications, which check who
    may call them."""
    name = unit_name(typed)
    key = unit_key(name)
    if not key:
        return None
    unit, created = Unit.objects.get_or_create(
        entity=entity, country=country, key=key, defaults={"name": name, "registered_by": actor}
    )
    if created:
        _registered(unit, actor=actor, actor_label=actor_label)
    return unit.merged_into or unit


@transaction.atomic
def unit_add(*, actor: User, raw: dict[str, Any]) -> Unit:
    """Register a unit of a contingent in the actor's entity, ahead of any allegation or
    certification; a name another spelling of a registered unit is refused, naming it."""
    policies.require_reader(actor)
    errors: dict[str, str] = {}
    code = str(raw.get("country") or "").strip().upper()
    country = Country.objects.filter(alpha3=code).first() if len(code) == 3 else None
    if code and country is None:
        errors["country"] = _("An ISO 3166 alpha-3 country code, e.g. IRQ.")
    name = unit_name(str(raw.get("name") or ""))
    if not unit_key(name):
        errors["name"] = str(UnitError.REQUIRED.label)
    if errors:
        raise ValidationError(errors)
    known = Unit.objects.filter(entity=actor.entity, country=country, key=unit_key(name)).first()
    if known is not None:
        shown = known.merged_into or known
        raise _error(
            "name",
            UnitError.REGISTERED,
            _("Already registered as “%(name)s”.") % {"name": shown.name},
        )
    unit = Unit.objects.create(
        entity=actor.entity, country=country, name=name, key=unit_key(name), registered_by=actor
    )
    _registered(unit, actor=actor)
    return unit


@dataclass(frozen=True)
class Merged:
    """What a merge moved: allegations and certifications, and the certifications dropped
    because the unit merged into had one for the same deployment."""

    allegations: int
    certifications: int
    duplicates: int


def _same_deployment(certification: UnitCertification, into: Unit) -> UnitCertification | None:
    return (
        UnitCertification.objects.select_for_update()
        .filter(
            entity_id=certification.entity_id,
            country_id=certification.country_id,
            unit=into.name,
            deployed_on=certification.deployed_on,
        )
        .exclude(pk=certification.pk)
        .first()
    )


def _described(certification: UnitCertification) -> str:
    return (
        f"{certification.deployed_on.isoformat()} personnel={certification.personnel} "
        f"certified_on={certification.certified_on or ''} "
        f"training={int(certification.training_done)} "
        f"screening={int(certification.no_prior_misconduct)}"
    )


@transaction.atomic
def unit_merge(*, actor: User, unit: Unit, into: Unit) -> Merged:
    """Merge `unit` into `into`, two units of one contingent in one mission: its allegations
    and certifications name `into` from now on, and its spelling stays as an alias of `into`.
    Where both have a certification for the same deployment, the complete one is kept (the
    one of `into` when both or neither are); the other is dropped, its values kept in the
    audit event."""
    policies.require_unit(actor, unit)
    policies.require_unit(actor, into)
    locked = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=[unit.pk, into.pk])}
    unit, into = locked[unit.pk], locked[into.pk]
    if unit.pk == into.pk:
        raise _error("into", UnitError.SAME)
    if unit.merged_into_id or into.merged_into_id:
        raise _error("into", UnitError.MERGED)
    if (unit.entity_id, unit.country_id) != (into.entity_id, into.country_id):
        raise _error("into", UnitError.CONTINGENT)
    allegations = Allegation.objects.filter(registered_unit=unit).update(
        registered_unit=into, unit=into.name
    )
    moved, dropped = 0, []
    for certification in UnitCertification.objects.select_for_update().filter(registered_unit=unit):
        other = _same_deployment(certification, into)
        if other is not None:
            keep_ours = certification.complete and not other.complete
            gone = other if keep_ours else certification
            dropped.append(_described(gone))
            gone.delete()
            if not keep_ours:
                continue
        certification.registered_unit = into
        certification.unit = into.name
        certification.save(update_fields=["registered_unit", "unit"])
        moved += 1
    Unit.objects.filter(merged_into=unit).update(merged_into=into)
    unit.merged_into = into
    unit.save(update_fields=["merged_into"])
    audit_record(
        actor=actor,
        action=ConductAction.UNIT_MERGED,
        target=unit,
        entity=unit.entity,
        details={
            "unit": unit.name,
            "into": into.name,
            "into_id": into.pk,
            "country": unit.country_id or "",
            "allegations": allegations,
            "certifications": moved,
            "duplicates_dropped": len(dropped),
            "dropped": "; ".join(dropped),
        },
    )
    return Merged(allegations, moved, len(dropped))
