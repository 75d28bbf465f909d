"""Writing treaty status and national response: one validation for pages, API and files.

Treaty status is reference data from the depositary (the UN Treaty Collection for most
instruments): an import replaces an instrument's whole table, since the depositary's table is
complete. National response entries belong to the entity that recorded them; only its legal
officers (or an administrator) change them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.models import Country, Entity, User
from ctip.core.policies import not_found
from ctip.core.values import parse_flag, parse_whole_number
from ctip.countries import policies, untc
from ctip.countries.codes import (
    INSTRUMENTS_BY_CODE,
    RESPONSE_MEASURES,
    CountriesAction,
    Criminalization,
)
from ctip.countries.models import NationalResponse, TreatyStatus

MAX_ROWS = 5_000
FIRST_YEAR = 1945
RESPONSE_TEXT = {"legislation": 5_000, "source": 2_000, "notes": 5_000}


@dataclass
class ImportReport:
    created: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False

    def error(self, row: int, column: str, value: Any, expected: str) -> None:
        self.errors.append(
            {"row": row, "column": column, "value": str(value)[:200], "expected": expected}
        )


# --- treaty status -----------------------------------------------------------------------


def _status_columns(header: list[str]) -> dict[str, str]:
    """Which of the file's columns hold the participant, signature, consent and denunciation."""
    found: dict[str, str] = {}
    for name in header:
        words = name.casefold()
        if "participant" in words:
            found.setdefault("participant", name)
        elif words.startswith("signature"):
            found.setdefault("signature", name)
        elif "denunciation" in words:
            found.setdefault("denunciation", name)
        elif any(
            w in words for w in ("ratification", "accession", "succession", "acceptance", "consent")
        ):
            found.setdefault("consent", name)
    return found


@transaction.atomic
def treaty_status_import(
    *,
    actor: User | None,
    instrument: str,
    rows: list[tuple[int, dict[str, str]]],
    source: str,
    dry_run: bool = False,
    actor_label: str = "",
) -> ImportReport:
    """Replace an instrument's status table with the rows: all or none."""
    if actor is not None:
        policies.require_editor(actor)
    report = ImportReport(dry_run=dry_run)
    treaty = INSTRUMENTS_BY_CODE.get(instrument)
    if treaty is None:
        report.error(
            0,
            "instrument",
            instrument,
            _("One of: %(codes)s") % {"codes": ", ".join(INSTRUMENTS_BY_CODE)},
        )
        return report
    header = list(dict.fromkeys(k for _number, row in rows for k in row))
    columns = _status_columns(header)
    if "participant" not in columns or "consent" not in columns:
        report.error(
            1,
            "header",
            ", ".join(header),
            _(
                "A “Participant” column and a consent column such as “Ratification, "
                "Accession(a), Succession(d)”."
            ),
        )
        return report
    today = timezone.localdate()
    wanted: dict[tuple[str, str], dict[str, Any]] = {}
    known = set(Country.objects.values_list("alpha3", flat=True))
    for number, row in rows:
        raw_name = row.get(columns["participant"], "")
        alpha3, organization = untc.resolve_participant(raw_name)
        if (not alpha3 and not organization) or (alpha3 and alpha3 not in known):
            report.error(
                number,
                columns["participant"],
                raw_name,
                _("A State's UN name (as in the Treaty Collection) or its ISO alpha-3 code."),
            )
            continue
        values: dict[str, Any] = {"participant": untc.participant_name(raw_name)}
        for part in ("signature", "consent", "denunciation"):
            column = columns.get(part)
            text = row.get(column, "") if column else ""
            try:
                date, mark = untc.parse_action(text)
                kind = untc.consent_kind(mark, column or "") if part == "consent" and date else ""
            except ValueError:
                report.error(
                    number,
                    column or part,
                    text,
                    _("A date such as “26 Sep 2003” or 2003-09-26, then a, d, A, AA or c."),
                )
                continue
            if date and not treaty.adopted <= date <= today:
                report.error(
                    number,
                    column or part,
                    text,
                    _("A date between the adoption of the instrument (%(adopted)s) and today.")
                    % {"adopted": treaty.adopted.isoformat()},
                )
            values[part] = date
            if part == "consent":
                values["consent_kind"] = kind
        parsed = "signature" in values and "consent" in values
        if parsed and not values["signature"] and not values["consent"]:
            report.error(
                number,
                columns.get("consent", "consent"),
                "",
                _("A signature or a consent date: a participant without either is no participant."),
            )
        key = (alpha3, organization)
        if key in wanted:
            report.error(
                number, columns["participant"], raw_name, _("Each participant once per file.")
            )
        wanted[key] = values
    if report.errors:
        return report
    now = timezone.now()
    with transaction.atomic():
        current = TreatyStatus.objects.filter(instrument=instrument)
        if not dry_run:
            current = current.select_for_update()
        existing = {(s.country_id or "", s.organization): s for s in current}
        # one comparison for the dry run and the real run, so both report the same counts
        created, changed = [], []
        for key, values in wanted.items():
            fields = {
                "participant": values["participant"],
                "signature": values.get("signature"),
                "consent_date": values.get("consent"),
                "consent_kind": values.get("consent_kind", ""),
                "denunciation": values.get("denunciation"),
            }
            status = existing.pop(key, None)
            if status is None:
                created.append((key, fields))
            elif any(getattr(status, k) != v for k, v in fields.items()):
                changed.append((status, fields))
            else:
                report.unchanged += 1
        report.created, report.changed, report.removed = len(created), len(changed), len(existing)
        if dry_run:
            return report
        for key, fields in created:
            TreatyStatus.objects.create(
                instrument=instrument,
                country_id=key[0] or None,
                organization=key[1],
                source=source[:300],
                imported_by=actor,
                imported_at=now,
                **fields,
            )
        for status, fields in changed:
            for name, value in fields.items():
                setattr(status, name, value)
            status.source, status.imported_by, status.imported_at = source[:300], actor, now
            status.save()
        TreatyStatus.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
        audit_record(
            actor=actor,
            action=CountriesAction.TREATY_STATUS_IMPORTED,
            details={
                "instrument": instrument,
                "created": report.created,
                "changed": report.changed,
                "removed": report.removed,
            },
            actor_label=actor_label,
        )
    return report


# --- national response -------------------------------------------------------------------


def clean_response(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate raw input into model values; ValidationError names the fields."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    code = str(raw.get("country") or "").strip().upper()
    values["country"] = Country.objects.filter(alpha3=code).first() if code else None
    if values["country"] is None:
        errors["country"] = _("An ISO 3166 alpha-3 country code, e.g. IRQ.")
    year = str(raw.get("year") or "").strip()
    last = timezone.localdate().year
    if parse_whole_number(year, minimum=FIRST_YEAR, maximum=last) is None:
        errors["year"] = _("A year from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": last,
        }
    else:
        values["year"] = int(year)
    value = str(raw.get("criminalization") or "").strip().lower()
    if value and value not in Criminalization.values:
        errors["criminalization"] = _("One of: %(codes)s") % {
            "codes": ", ".join(Criminalization.values)
        }
    values["criminalization"] = value
    for name in RESPONSE_MEASURES:
        try:
            values[name] = parse_flag(raw.get(name))
        except ValueError:
            errors[name] = _("Yes, no or empty (unknown).")
    for name, limit in RESPONSE_TEXT.items():
        text = str(raw.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
        values[name] = text
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def response_save(
    *, actor: User, raw: dict[str, Any], response: NationalResponse | None = None
) -> NationalResponse:
    """Record a country's national response for a year, or correct one of the entity's own."""
    policies.require_editor(actor)
    if response is not None and not policies.may_edit_response(actor, response):
        raise not_found()
    values = clean_response(raw)
    with transaction.atomic():
        other = NationalResponse.objects.filter(country=values["country"], year=values["year"])
        if response is not None:
            other = other.exclude(pk=response.pk)
        if other.exists():
            raise ValidationError(
                {"year": _("This country and year are already recorded; correct that entry.")}
            )
        if response is None:
            response = NationalResponse(entity=actor.entity)
        for name, value in values.items():
            setattr(response, name, value)
        response.updated_by, response.updated_at = actor, timezone.now()
        response.save()
        audit_record(
            actor=actor,
            action=CountriesAction.RESPONSE_SAVED,
            target=response,
            entity=response.entity,
            details={"country": response.country_id, "year": response.year},
        )
    return response


def _differs(response: NationalResponse | None, values: dict[str, Any]) -> bool:
    """True for a new entry, or one that the values would change."""
    return response is None or any(getattr(response, k) != v for k, v in values.items())


@transaction.atomic
def responses_import(
    *,
    actor: User | None,
    rows: list[tuple[int, dict[str, str]]],
    entity: Entity | None = None,
    dry_run: bool = False,
    actor_label: str = "",
) -> ImportReport:
    """Create or correct entries from rows for the actor's entity (or `entity` from the
    command line): all or none. An entry another entity recorded is an error on its row,
    not a silent overwrite."""
    if actor is not None:
        policies.require_editor(actor)
        entity = actor.entity
    assert entity is not None
    report = ImportReport(dry_run=dry_run)
    cleaned: dict[tuple[str, int], dict[str, Any]] = {}
    existing = {
        (r.country_id, r.year): r
        for r in NationalResponse.objects.filter(
            country_id__in={str(row.get("country", "")).strip().upper() for _n, row in rows}
        )
    }
    for number, raw in rows:
        try:
            values = clean_response(raw)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    report.error(number, name, raw.get(name, ""), message)
            continue
        key = (values["country"].alpha3, values["year"])
        if key in cleaned:
            report.error(number, "year", values["year"], _("Each country and year once per file."))
        found = existing.get(key)
        if found is not None and not policies.may_overwrite_entity(
            actor, entity.pk, found.entity_id
        ):
            report.error(
                number,
                "country",
                key[0],
                _("Another entity recorded this country and year; ask it to correct the entry."),
            )
        cleaned[key] = values
    if report.errors:
        return report
    # one comparison for the dry run and the real run, so both report the same counts
    writes = {key: values for key, values in cleaned.items() if _differs(existing.get(key), values)}
    report.created = sum(1 for key in writes if key not in existing)
    report.changed = len(writes) - report.created
    report.unchanged = len(cleaned) - len(writes)
    if dry_run:
        return report
    now = timezone.now()
    with transaction.atomic():
        for key, values in writes.items():
            response = existing.get(key) or NationalResponse(entity=entity)
            for name, value in values.items():
                setattr(response, name, value)
            response.updated_by, response.updated_at = actor, now
            response.save()
        audit_record(
            actor=actor,
            action=CountriesAction.RESPONSES_IMPORTED,
            entity=entity,
            details={"created": report.created, "changed": report.changed},
            actor_label=actor_label,
        )
    return report


def as_of_date(text: str | None) -> datetime.date:
    """A date from a query string, today when empty; ValueError when not a date."""
    return datetime.date.fromisoformat(text) if text else timezone.localdate()
