"""`ctip import_incidents`: incidents from a CSV/XLSX in CTIP's template, or from a
KoBoToolbox / ODK export of CTIP's incident form. All rows or none; every bad row named by
its number, column, value and what was expected. An incident imported before (same
`incident_id` for the entity) is left as it is."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.imports import RowIds
from ctip.core.models import Entity, User
from ctip.incidents import policies
from ctip.incidents.codes import IncidentsAction, PartyKind, Verification
from ctip.incidents.models import Incident, IncidentDetails, Party
from ctip.incidents.services.parties import UNKNOWN_PARTY
from ctip.incidents.services.record import Lookups, clean_incident, lock_entity, next_references
from ctip.tabular import formula_like

COLUMNS = (
    "incident_id",
    "date",
    "country",
    "admin1",
    "conflict_situation",
    "party",
    "violation",
    "girls",
    "boys",
    "women",
    "men",
    "unknown_sex",
    "verification_status",
)
OPTIONAL = ("date_to", "latitude", "longitude", "narrative")
FIELD_ONLY = ("sources",)  # from the field form, not a template column
# template column → the name `clean_incident` reads
RAW_NAMES = {"conflict_situation": "situation", "violation": "violations"}
COLUMN_OF = {raw: column for column, raw in RAW_NAMES.items()}
MAX_INCIDENT_ROWS = 200_000
TEXT_COLUMNS = ("admin1", "party", "narrative")
STATUSES = frozenset(Verification.values)


@dataclass
class ImportReport:
    created: int = 0
    already: int = 0
    parties_created: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False

    def problem(self, row: int, column: str, value: Any, expected: str) -> None:
        self.errors.append(
            {"row": row, "column": column, "value": str(value)[:200], "expected": expected}
        )


def _check_header(rows: list[tuple[int, dict[str, str]]], report: ImportReport) -> None:
    columns = set(rows[0][1]) if rows else set()
    for name in COLUMNS:
        if name not in columns:
            report.problem(1, name, "", _("A column named %(name)s.") % {"name": name})
    for name in sorted(columns - set(COLUMNS) - set(OPTIONAL) - set(FIELD_ONLY)):
        report.problem(
            1,
            name,
            name,
            _("A column of CTIP's incident template: %(names)s.")
            % {"names": ", ".join((*COLUMNS, *OPTIONAL))},
        )


def _new_party(lookups: Lookups, raw: dict[str, Any], pending: dict[tuple, Party]) -> None:
    """With --create-parties: a party the register does not know becomes one (kind
    'other', to be corrected in the register), saved only if the whole file is good."""
    situation = lookups.situations.get(str(raw.get("situation") or "").strip().casefold())
    name = str(raw.get("party") or "").strip()
    if situation is None or name.casefold() in UNKNOWN_PARTY or len(name) > 200:
        return
    try:
        lookups.party(situation, name)
    except LookupError:
        party = Party(situation=situation, name=name, kind=PartyKind.OTHER)
        pending[(situation.pk, name.casefold())] = party
        lookups.parties[situation.pk][name.casefold()] = party


def _row_values(
    number: int, row: dict[str, Any], lookups: Lookups, report: ImportReport
) -> dict[str, Any] | None:
    raw = {RAW_NAMES.get(name, name): value for name, value in row.items()}
    bad = False
    for name in TEXT_COLUMNS:
        if formula_like(str(row.get(name) or "")):
            report.problem(number, name, row[name], _("Text that does not start like a formula."))
            bad = True
    status = str(row.get("verification_status") or "").strip() or Verification.REPORTED
    if status not in STATUSES:
        report.problem(
            number,
            "verification_status",
            status,
            _("One of: %(codes)s") % {"codes": ", ".join(Verification.values)},
        )
        bad = True
    try:
        values = clean_incident(raw, lookups)
    except ValidationError as error:
        for name, texts in error.message_dict.items():
            column = COLUMN_OF.get(name, name)
            for text in texts:
                report.problem(number, column, row.get(column, ""), text)
        return None
    if bad:
        return None
    values["status"], values["status_imported"] = status, status != Verification.REPORTED
    return values


@transaction.atomic
def incidents_import(
    *,
    entity: Entity,
    rows: list[tuple[int, dict[str, Any]]],
    actor: User | None = None,
    dry_run: bool = False,
    create_parties: bool = False,
    actor_label: str = "",
) -> ImportReport:
    """Validate every row, then write them all (or, with any error or a dry run, none)."""
    if actor is not None:
        policies.require_monitor(actor)
        entity = actor.entity
    report = ImportReport(dry_run=dry_run)
    _check_header(rows, report)
    if report.errors:
        return report
    lookups = Lookups.load()
    seen = set(
        Incident.objects.filter(entity=entity)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    pending: dict[tuple, Party] = {}
    cleaned = []
    for number, row, external in RowIds(seen).new_rows(rows, "incident_id", report):
        raw = {RAW_NAMES.get(name, name): value for name, value in row.items()}
        if create_parties:
            _new_party(lookups, raw, pending)
        values = _row_values(number, row, lookups, report)
        if values is not None:
            cleaned.append({**values, "external_id": external})
    report.parties_created = sorted(p.name for p in pending.values())
    report.created = len(cleaned)
    report.statuses = dict(Counter(values["status"] for values in cleaned))
    if report.errors or dry_run or not cleaned:
        return report
    _write(entity, actor, cleaned, list(pending.values()))
    audit_record(
        actor=actor,
        action=IncidentsAction.INCIDENTS_IMPORTED,
        entity=entity,
        details={
            "created": report.created,
            "already": report.already,
            "parties_created": report.parties_created,
        },
        actor_label=actor_label,
    )
    imported = {k: n for k, n in report.statuses.items() if k != Verification.REPORTED}
    if imported:
        audit_record(
            actor=actor,
            action=IncidentsAction.STATUS_IMPORTED,
            entity=entity,
            details={"statuses": imported},
            actor_label=actor_label,
        )
    return report


def _write(
    entity: Entity, actor: User | None, cleaned: list[dict[str, Any]], parties: list[Party]
) -> None:
    for party in parties:
        party.save()
    lock_entity(entity)
    by_year: dict[int, list[dict[str, Any]]] = {}
    for values in cleaned:
        by_year.setdefault(values["year"], []).append(values)
    incidents, secrets = [], []
    for year, group in sorted(by_year.items()):
        for reference, values in zip(next_references(entity, year, len(group)), group, strict=True):
            narrative, sources = values.pop("narrative"), values.pop("sources")
            incident = Incident(entity=entity, reference=reference, recorded_by=actor, **values)
            incidents.append(incident)
            secrets.append((incident, narrative, sources))
    Incident.objects.bulk_create(incidents, batch_size=2_000)
    IncidentDetails.objects.bulk_create(
        (
            IncidentDetails(
                incident=incident,
                narrative=narrative,
                sources=json.dumps(sources, ensure_ascii=False),
            )
            for incident, narrative, sources in secrets
            if narrative or sources
        ),
        batch_size=2_000,
    )
