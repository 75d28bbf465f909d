"""Recording an incident: one validation for the page, the API, the command and field
imports; the audited read of its narrative and sources."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.models import ConflictSituation, Country, Entity, User
from ctip.core.values import parse_past_date, parse_people, split_items
from ctip.incidents import policies
from ctip.incidents.codes import DECIDED, IncidentsAction, Reliability, Violation
from ctip.incidents.models import GROUPS, Incident, IncidentDetails, Party
from ctip.incidents.services.parties import party_resolve, spellings

VIOLATIONS = frozenset(Violation.values)  # read once: an import checks every row against it
MAX_VICTIMS = 100_000  # in one incident: a mass abduction is hundreds, more is a typo
TEXT_LIMITS = {"admin1": 100, "narrative": 50_000}
MAX_SOURCES, SOURCE_LIMIT = 20, 2_000
# violations that have victims: the others (attacks, denial of access) may have none
WITH_VICTIMS = {
    Violation.ABDUCTION,
    Violation.SEXUAL_VIOLENCE,
    Violation.RECRUITMENT_USE,
    Violation.TRAFFICKING,
    Violation.KILLING_MAIMING,
}


@dataclass(frozen=True)
class Lookups:
    """Situations and countries by every spelling a file may use: an import of 100,000 rows
    reads them once, not per row."""

    situations: dict[str, ConflictSituation]
    countries: dict[str, Country]
    situation_countries: dict[int, set[str]]
    parties: dict[int, dict[str, Party]] = field(default_factory=dict)

    def party(self, situation: ConflictSituation, raw: Any) -> Party | None:
        """`party_resolve` over the situation's spellings, read once per situation."""
        if situation.pk not in self.parties:
            self.parties[situation.pk] = spellings(situation.pk)
        return party_resolve(situation, raw, self.parties[situation.pk])

    @classmethod
    def load(cls) -> Lookups:
        situations: dict[str, ConflictSituation] = {}
        where: dict[int, set[str]] = {}
        for situation in ConflictSituation.objects.prefetch_related("countries"):
            situations[situation.name.casefold()] = situations[str(situation.pk)] = situation
            where[situation.pk] = {c.alpha3 for c in situation.countries.all()}
        countries = {c.alpha3: c for c in Country.objects.all()}
        return cls(situations, countries, where)


def _coordinate(raw: Any, name: str, limit: int, errors: dict[str, str]) -> Decimal | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        errors[name] = _("A number from -%(n)s to %(n)s, in decimal degrees.") % {"n": limit}
        return None
    return value.quantize(Decimal("0.00001"))


def clean_sources(raw: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    """[{"source", "reliability"}]: who told what, graded; kept encrypted."""
    sources = []
    for item in list(raw or [])[: MAX_SOURCES + 1]:
        text = str((item or {}).get("source") or "").strip()
        reliability = str((item or {}).get("reliability") or Reliability.UNKNOWN).strip()
        if not text:
            continue
        if len(text) > SOURCE_LIMIT:
            errors["sources"] = _("At most %(n)s characters.") % {"n": f"{SOURCE_LIMIT:,}"}
        if reliability not in Reliability.values:
            errors["sources"] = _("One of: %(codes)s") % {"codes": ", ".join(Reliability.values)}
        sources.append({"source": text, "reliability": reliability})
    if len(sources) > MAX_SOURCES:
        errors["sources"] = _("At most %(n)s sources.") % {"n": MAX_SOURCES}
    return sources


def clean_incident(raw: dict[str, Any], lookups: Lookups | None = None) -> dict[str, Any]:
    """Validate raw input (strings, or lists for violations and sources) into model values;
    ValidationError names every bad field."""
    lookups = lookups or Lookups.load()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    key = str(raw.get("situation") or "").strip().casefold()
    situation = lookups.situations.get(key)
    if situation is None:
        errors["situation"] = _("The name or number of a conflict situation in CTIP.")
    values["situation"] = situation
    values["date"] = parse_past_date(raw.get("date"), "date", errors, required=True)
    values["date_to"] = parse_past_date(raw.get("date_to"), "date_to", errors)
    if values["date"] and values["date_to"] and values["date_to"] < values["date"]:
        errors["date_to"] = _("The last possible date cannot come before the first.")
    code = str(raw.get("country") or "").strip().upper()
    values["country"] = lookups.countries.get(code)
    if values["country"] is None:
        errors["country"] = _("An ISO 3166 alpha-3 country code, e.g. COD.")
    elif situation is not None and lookups.situation_countries.get(situation.pk):
        allowed = lookups.situation_countries[situation.pk]
        if code not in allowed:
            errors["country"] = _("A country of %(situation)s: %(codes)s.") % {
                "situation": situation.name,
                "codes": ", ".join(sorted(allowed)),
            }
    for name, limit in TEXT_LIMITS.items():
        values[name] = str(raw.get(name) or "").strip()
        if len(values[name]) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
    values["latitude"] = _coordinate(raw.get("latitude"), "latitude", 90, errors)
    values["longitude"] = _coordinate(raw.get("longitude"), "longitude", 180, errors)
    if (values["latitude"] is None) != (values["longitude"] is None) and not (
        {"latitude", "longitude"} & set(errors)
    ):
        errors["longitude"] = _("Give both coordinates, or neither.")
    codes = sorted(set(split_items(raw.get("violations"))))
    if not codes or set(codes) - VIOLATIONS:
        errors["violations"] = _("One or more of: %(codes)s") % {
            "codes": ", ".join(Violation.values)
        }
    values["violations"] = ";".join(codes)
    for group in GROUPS:
        values[group] = parse_people(raw.get(group), group, errors, maximum=MAX_VICTIMS)
    values["victims"] = sum(values[group] for group in GROUPS)
    if values["victims"] > MAX_VICTIMS:
        errors["unknown_sex"] = _("At most %(n)s victims in one incident.") % {
            "n": f"{MAX_VICTIMS:,}"
        }
    if set(codes) & WITH_VICTIMS and not values["victims"] and not set(GROUPS) & set(errors):
        errors["girls"] = _("Count the victims: at least one girl, boy, woman, man or unknown.")
    values["party"] = None
    if situation is not None:
        try:
            values["party"] = lookups.party(situation, raw.get("party"))
        except LookupError:
            errors["party"] = _("A party of %(situation)s (name or alias), or “unknown”.") % {
                "situation": situation.name
            }
    values["sources"] = clean_sources(raw.get("sources"), errors)
    if errors:
        raise ValidationError(errors)
    values["year"] = values["date"].year
    return values


def next_references(entity: Entity, year: int, count: int) -> list[str]:
    """`count` new references of the entity for the year (the caller holds the entity's
    row lock, so two writers never take the same number)."""
    prefix = f"{entity.code}-I{year}-"
    taken = Incident.objects.filter(reference__startswith=prefix).count()
    return [f"{prefix}{taken + n:05d}" for n in range(1, count + 1)]


def lock_entity(entity: Entity) -> None:
    Entity.objects.select_for_update().filter(pk=entity.pk).first()


@transaction.atomic
def incident_record(*, actor: User, raw: dict[str, Any]) -> Incident:
    """Record an incident as reported; its narrative and sources are encrypted apart."""
    policies.require_monitor(actor)
    values = clean_incident(raw)
    narrative, sources = values.pop("narrative"), values.pop("sources")
    lock_entity(actor.entity)
    incident = Incident.objects.create(
        entity=actor.entity,
        reference=next_references(actor.entity, values["year"], 1)[0],
        recorded_by=actor,
        **values,
    )
    IncidentDetails.objects.create(
        incident=incident, narrative=narrative, sources=json.dumps(sources, ensure_ascii=False)
    )
    audit_record(
        actor=actor,
        action=IncidentsAction.INCIDENT_RECORDED,
        target=incident,
        details={"reference": incident.reference, "violations": incident.violations},
    )
    return incident


EDITABLE = (
    "situation",
    "date",
    "date_to",
    "country",
    "admin1",
    "latitude",
    "longitude",
    "party",
    "violations",
    *GROUPS,
)


def editable_values(incident: Incident) -> dict[str, Any]:
    """The incident's editable fields as the form and `clean_incident` take them."""
    return {
        "situation": str(incident.situation_id),
        "date": incident.date.isoformat(),
        "date_to": incident.date_to.isoformat() if incident.date_to else "",
        "country": incident.country_id,
        "admin1": incident.admin1,
        "latitude": "" if incident.latitude is None else str(incident.latitude),
        "longitude": "" if incident.longitude is None else str(incident.longitude),
        "party": str(incident.party_id or ""),
        "violations": incident.violation_codes,
        **{group: str(getattr(incident, group)) for group in GROUPS},
    }


@transaction.atomic
def incident_update(*, actor: User, incident: Incident, raw: dict[str, Any]) -> Incident:
    """Correct an incident before it is decided: place, date, violations, perpetrator,
    counts. A decided incident is put back under verification first, so that no verified
    figure changes unseen; a count cannot fall below the people followed in that group."""
    policies.require_incident(actor, incident)
    if incident.status in DECIDED:
        raise ValidationError(_("Put the incident back under verification to correct it."))
    values = clean_incident({**editable_values(incident), **raw})
    followed = Counter(incident.abductees.values_list("group", flat=True))
    errors = {
        group: _("%(n)s people of this group are followed by name.") % {"n": followed[group]}
        for group in GROUPS
        if values[group] < followed[group]
    }
    if Violation.ABDUCTION not in values["violations"].split(";") and followed:
        errors["violations"] = _("People are followed as abductees: keep the abduction.")
    if errors:
        raise ValidationError(errors)
    changed = [
        name for name in (*EDITABLE, "year", "victims") if getattr(incident, name) != values[name]
    ]
    for name in changed:
        setattr(incident, name, values[name])
    incident.save(update_fields=changed or ["status"])
    audit_record(
        actor=actor,
        action=IncidentsAction.INCIDENT_UPDATED,
        target=incident,
        details={"reference": incident.reference, "changed": changed},
    )
    return incident


@dataclass(frozen=True)
class Details:
    """What the audited read returns: for one response, never to be stored."""

    narrative: str
    sources: list[dict[str, str]]
    decision_note: str


@transaction.atomic
def details_view(*, actor: User, incident: Incident) -> Details:
    """The narrative and the sources, shown on purpose and audited every time: the event
    is written before anything is decrypted."""
    policies.require_incident(actor, incident)
    audit_record(
        actor=actor,
        action=IncidentsAction.DETAILS_VIEWED,
        target=incident,
        details={"reference": incident.reference},
    )
    found = IncidentDetails.objects.filter(incident_id=incident.pk).first()
    if found is None:
        return Details("", [], "")
    return Details(found.narrative, json.loads(found.sources or "[]"), found.decision_note)


@transaction.atomic
def patterns_exported(*, actor: User, rows: int, fmt: str) -> None:
    """Every download of the patterns is in the audit log (counts only leave)."""
    policies.require_pattern_reader(actor)
    audit_record(
        actor=actor, action=IncidentsAction.PATTERNS_EXPORTED, details={"rows": rows, "format": fmt}
    )
