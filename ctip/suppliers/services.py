"""Writes of the supplier register. Every one that writes is atomic with its audit event and
checks `ctip.suppliers.policies`. The rule that matters: a supplier with an open flag (a
high-risk sector or country, an allegation) is cleared only on a passing due-diligence check
still valid, and only once it has accepted the Supplier Code of Conduct."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.codes import Role
from ctip.core.exports import spreadsheet_unsafe
from ctip.core.models import Country, Entity, User
from ctip.core.services import notify
from ctip.core.values import unprintable
from ctip.funds.codes import currencies
from ctip.funds.services.grants import parse_amount
from ctip.suppliers import policies
from ctip.suppliers.codes import (
    HIGH_RISK_SECTORS,
    PASSING,
    FlagKind,
    Outcome,
    Sector,
    SuppliersAction,
    SupplierStatus,
)
from ctip.suppliers.models import Check, CodeAcceptance, Contract, Flag, Supplier
from ctip.tabular import formula_like

COLUMNS = ["ungm_number", "name", "country", "sector"]
OPTIONAL = ["code_version", "code_accepted_on", "code_signed_by"]
MAX_SUPPLIER_ROWS = 50_000
MAX_TEXT = 5000
EXPIRY_NOTICE = datetime.timedelta(days=30)


def _text(raw: Any, name: str, limit: int, errors: dict[str, str], required: bool = True) -> str:
    value = str(raw or "").strip()
    if (required and not value) or len(value) > limit or formula_like(value) or unprintable(value):
        errors[name] = _("1 to %(n)s characters, not starting like a formula.") % {"n": limit}
    return value


def _date(raw: Any, name: str, errors: dict[str, str]) -> datetime.date:
    """A date, or date.min with the error (never written: the error stops the write)."""
    try:
        return datetime.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        errors[name] = _("A date as YYYY-MM-DD.")
        return datetime.date.min


def clean_supplier(
    raw: dict[str, Any], countries: set[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "ungm_number": _text(raw.get("ungm_number"), "ungm_number", 30, errors),
        "name": _text(raw.get("name"), "name", 200, errors),
    }
    country = str(raw.get("country") or "").strip().upper()
    if country not in countries:
        errors["country"] = _("A country's ISO 3166 alpha-3 code, such as NGA.")
    values["country_id"] = country
    sector = str(raw.get("sector") or "").strip().lower()
    if sector not in Sector.values:
        errors["sector"] = _("One of: %(codes)s") % {"codes": ", ".join(Sector.values)}
    values["sector"] = sector
    version = str(raw.get("code_version") or "").strip()
    if version:
        accepted = _date(raw.get("code_accepted_on"), "code_accepted_on", errors)
        signed = _text(raw.get("code_signed_by"), "code_signed_by", 200, errors)
        if accepted > timezone.localdate():
            errors["code_accepted_on"] = _("Not in the future.")
        values["code"] = (version[:20], accepted, signed)
    return values, errors


def _auto_flags(supplier: Supplier) -> None:
    """A high-risk sector or country flags the supplier (once, while not closed)."""
    wanted = []
    if supplier.sector in HIGH_RISK_SECTORS:
        wanted.append((FlagKind.SECTOR, supplier.get_sector_display()))
    if supplier.country_id in settings.CTIP_SUPPLIER_HIGH_RISK_COUNTRIES:
        wanted.append((FlagKind.COUNTRY, supplier.country_id))
    for kind, detail in wanted:
        if not supplier.flags.filter(kind=kind, closed_on__isnull=True).exists():
            Flag.objects.create(supplier=supplier, kind=kind, detail=str(detail), source="CTIP")


def _save(entity: Entity, values: dict[str, Any]) -> tuple[Supplier, bool]:
    code = values.pop("code", None)
    supplier, created = Supplier.objects.get_or_create(
        entity=entity, ungm_number=values["ungm_number"], defaults=values
    )
    if not created:
        for key, value in values.items():
            setattr(supplier, key, value)
        supplier.updated_at = timezone.now()
        supplier.save()
    if code and not supplier.acceptances.filter(version=code[0], accepted_on=code[1]).exists():
        CodeAcceptance.objects.create(
            supplier=supplier, version=code[0], accepted_on=code[1], signed_by=code[2]
        )
    _auto_flags(supplier)
    return supplier, created


@transaction.atomic
def supplier_save(*, actor: User, raw: dict[str, Any]) -> Supplier:
    """One supplier by hand: new, or updated when its UNGM number is in the register."""
    policies.require_officer(actor)
    values, errors = clean_supplier(raw, set(Country.objects.values_list("alpha3", flat=True)))
    if errors:
        raise ValidationError(errors)
    supplier, created = _save(actor.entity, values)
    audit_record(
        actor=actor,
        action=SuppliersAction.SAVED,
        target=supplier,
        details={"created": int(created)},
    )
    return supplier


@dataclass
class SuppliersReport:
    created: int = 0
    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False

    def problem(self, row: int, column: str, value: Any, expected: str) -> None:
        self.errors.append(
            {"row": row, "column": column, "value": str(value)[:200], "expected": expected}
        )


def suppliers_import(
    *,
    entity: Entity,
    rows: list[tuple[int, dict[str, str]]],
    dry_run: bool = False,
    actor: User | None = None,
    actor_label: str = "",
) -> SuppliersReport:
    """A file of the procurement system, all rows or none; a UNGM number seen before updates
    its supplier. Statuses are never imported: clearing goes through the checks."""
    if actor is not None:
        policies.require_officer(actor)
        entity = actor.entity
    report = SuppliersReport(dry_run=dry_run)
    columns = set(rows[0][1]) if rows else set()
    for name in COLUMNS:
        if name not in columns:
            report.problem(1, name, "", _("A column named %(name)s.") % {"name": name})
    for name in sorted(columns - set(COLUMNS) - set(OPTIONAL)):
        report.problem(
            1,
            name,
            name,
            _("One of the columns %(names)s.") % {"names": ", ".join(COLUMNS + OPTIONAL)},
        )
    if report.errors or not rows:
        if not rows:
            report.problem(1, "ungm_number", "", _("At least one supplier."))
        return report
    countries = set(Country.objects.values_list("alpha3", flat=True))
    known = set(Supplier.objects.filter(entity=entity).values_list("ungm_number", flat=True))
    seen: dict[str, int] = {}
    cleaned = []
    for number, row in rows:
        row = {key: spreadsheet_unsafe(str(value)) for key, value in row.items()}
        values, errors = clean_supplier(row, countries)
        key = values["ungm_number"]
        if key in seen:
            errors["ungm_number"] = _("Once per file: row %(row)s has the same id.") % {
                "row": seen[key]
            }
        seen[key] = number
        for column, message in errors.items():
            report.problem(number, column, row.get(column, ""), message)
        if not errors:
            cleaned.append(values)
            if key in known:
                report.updated += 1
            else:
                report.created += 1
    if report.errors:
        report.created = report.updated = 0
    if report.errors or dry_run:
        return report
    _write(entity, cleaned, report, actor, actor_label)
    return report


@transaction.atomic
def _write(
    entity: Entity,
    cleaned: list[dict[str, Any]],
    report: SuppliersReport,
    actor: User | None,
    actor_label: str,
) -> None:
    for values in cleaned:
        _save(entity, values)
    audit_record(
        actor=actor,
        actor_label=actor_label,
        entity=entity,
        action=SuppliersAction.IMPORTED,
        details={"created": report.created, "updated": report.updated},
    )


@transaction.atomic
def code_accepted(*, actor: User, supplier: Supplier, raw: dict[str, Any]) -> CodeAcceptance:
    policies.require_supplier(actor, supplier)
    errors: dict[str, str] = {}
    version = _text(raw.get("version"), "version", 20, errors)
    accepted = _date(raw.get("accepted_on"), "accepted_on", errors)
    signed = _text(raw.get("signed_by"), "signed_by", 200, errors)
    if accepted > timezone.localdate():
        errors["accepted_on"] = _("Not in the future.")
    if errors:
        raise ValidationError(errors)
    found = CodeAcceptance.objects.create(
        supplier=supplier, version=version, accepted_on=accepted, signed_by=signed
    )
    audit_record(
        actor=actor,
        action=SuppliersAction.CODE_ACCEPTED,
        target=supplier,
        details={"version": version},
    )
    return found


def _suspend_if_cleared(supplier: Supplier) -> None:
    """An allegation or a failed check suspends a cleared supplier until it is checked."""
    if supplier.status == SupplierStatus.CLEARED:
        supplier.status = SupplierStatus.SUSPENDED
        supplier.save(update_fields=["status"])


@transaction.atomic
def flag_raise(*, actor: User, supplier: Supplier, raw: dict[str, Any]) -> Flag:
    """A flag, with its source; an allegation also suspends a cleared supplier until checked."""
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    policies.require_supplier(actor, supplier)
    errors: dict[str, str] = {}
    kind = str(raw.get("kind") or "")
    if kind not in FlagKind.values:
        errors["kind"] = _("One of: %(codes)s") % {"codes": ", ".join(FlagKind.values)}
    detail = _text(raw.get("detail"), "detail", MAX_TEXT, errors)
    source = _text(raw.get("source"), "source", 300, errors)
    if errors:
        raise ValidationError(errors)
    flag = Flag.objects.create(supplier=supplier, kind=kind, detail=detail, source=source)
    if kind == FlagKind.ALLEGATION:
        _suspend_if_cleared(supplier)
    audit_record(
        actor=actor,
        action=SuppliersAction.FLAGGED,
        target=supplier,
        details={"kind": kind, "status": supplier.status},
    )
    return flag


@transaction.atomic
def flag_close(*, actor: User, flag: Flag, note: str) -> Flag:
    policies.require_supplier(actor, flag.supplier)
    errors: dict[str, str] = {}
    note = _text(note, "note", MAX_TEXT, errors)
    if flag.closed_on is not None:
        errors["note"] = _("This flag is closed already.")
    if errors:
        raise ValidationError(errors)
    flag.closed_on, flag.closing_note = timezone.localdate(), note
    flag.save(update_fields=["closed_on", "closing_note"])
    audit_record(
        actor=actor,
        action=SuppliersAction.FLAG_CLOSED,
        target=flag.supplier,
        details={"kind": flag.kind},
    )
    return flag


@transaction.atomic
def check_record(*, actor: User, supplier: Supplier, raw: dict[str, Any]) -> Check:
    """A due-diligence check; a failed one suspends a cleared supplier."""
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    policies.require_supplier(actor, supplier)
    errors: dict[str, str] = {}
    checked = _date(raw.get("checked_on"), "checked_on", errors)
    expires = _date(raw.get("expires_on"), "expires_on", errors)
    outcome = str(raw.get("outcome") or "")
    if outcome not in Outcome.values:
        errors["outcome"] = _("One of: %(codes)s") % {"codes": ", ".join(Outcome.values)}
    note = _text(raw.get("note"), "note", MAX_TEXT, errors, required=False)
    if checked > timezone.localdate():
        errors["checked_on"] = _("Not in the future.")
    if "checked_on" not in errors and "expires_on" not in errors and expires <= checked:
        errors["expires_on"] = _("After the check.")
    if errors:
        raise ValidationError(errors)
    check = Check.objects.create(
        supplier=supplier,
        checked_on=checked,
        expires_on=expires,
        outcome=outcome,
        note=note,
        checked_by=actor,
    )
    if outcome == Outcome.FAILED:
        _suspend_if_cleared(supplier)
    audit_record(
        actor=actor,
        action=SuppliersAction.CHECKED,
        target=supplier,
        details={"outcome": outcome, "status": supplier.status},
    )
    return check


def why_not_clearable(supplier: Supplier, today: datetime.date | None = None) -> list[str]:
    """What stands in the way of clearing the supplier (empty when nothing does)."""
    today = today or timezone.localdate()
    reasons = []
    if not supplier.acceptances.exists():
        reasons.append(_("It has not accepted the UN Supplier Code of Conduct."))
    if supplier.flags.filter(closed_on__isnull=True).exists():
        latest = supplier.checks.order_by("-checked_on", "-pk").first()
        if latest is None or latest.outcome not in PASSING or latest.expires_on < today:
            reasons.append(
                _("It is flagged: a passing due-diligence check, still valid, is needed.")
            )
    return reasons


@transaction.atomic
def supplier_status(*, actor: User, supplier: Supplier, status: str) -> Supplier:
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    policies.require_supplier(actor, supplier)
    if status not in SupplierStatus.values:
        raise ValidationError(
            {"status": _("One of: %(codes)s") % {"codes": ", ".join(SupplierStatus.values)}}
        )
    if status == SupplierStatus.CLEARED:
        reasons = why_not_clearable(supplier)
        if reasons:
            raise ValidationError({"status": reasons})
    supplier.status = status
    supplier.save(update_fields=["status"])
    audit_record(
        actor=actor, action=SuppliersAction.STATUS, target=supplier, details={"status": status}
    )
    return supplier


@transaction.atomic
def contract_record(*, actor: User, supplier: Supplier, raw: dict[str, Any]) -> Contract:
    policies.require_supplier(actor, supplier)
    errors: dict[str, str] = {}
    reference = _text(raw.get("reference"), "reference", 60, errors)
    title = _text(raw.get("title"), "title", 200, errors)
    awarded = _date(raw.get("awarded_on"), "awarded_on", errors)
    value = parse_amount(raw.get("value"), "value", errors)
    currency = str(raw.get("currency") or "").strip().upper()
    if currency not in currencies():
        errors["currency"] = _("An ISO 4217 currency code, such as USD or EUR.")
    if supplier.contracts.filter(reference=reference).exists():
        errors["reference"] = _("This supplier has a contract with this reference.")
    if errors:
        raise ValidationError(errors)
    contract = Contract.objects.create(
        supplier=supplier,
        reference=reference,
        title=title,
        awarded_on=awarded,
        value=value,
        currency=currency,
    )
    audit_record(
        actor=actor,
        action=SuppliersAction.CONTRACT,
        target=supplier,
        details={"contract": contract.pk},
    )
    return contract


def expiry_reminders(today: datetime.date | None = None) -> int:
    """Tell procurement officers of passing checks of cleared suppliers expiring within 30
    days (or expired), once each. The worker runs it daily."""
    today = today or timezone.localdate()
    told = 0
    due = Check.objects.filter(
        reminded=False,
        outcome__in=PASSING,
        expires_on__lte=today + EXPIRY_NOTICE,
        supplier__status=SupplierStatus.CLEARED,
    )
    for check_id in due.values_list("pk", flat=True):
        told += _remind(check_id)
    return told


@transaction.atomic
def _remind(check_id: int) -> int:
    check = Check.objects.select_for_update().select_related("supplier__entity").get(pk=check_id)
    if check.reminded:
        return 0
    supplier = check.supplier
    officers = list(
        User.objects.filter(entity=supplier.entity, role=Role.PROCUREMENT_OFFICER, is_active=True)
    )
    notify(
        officers,
        _("Due-diligence check expiring: %(supplier)s") % {"supplier": supplier.name},
        _("The check of %(supplier)s is valid until %(day)s.")
        % {"supplier": supplier.name, "day": check.expires_on.isoformat()},
        reverse("suppliers:detail", args=[supplier.pk]),
    )
    check.reminded = True
    check.save(update_fields=["reminded"])
    audit_record(
        actor=None,
        actor_label="ctip",
        entity=supplier.entity,
        action=SuppliersAction.REMINDED,
        target=supplier,
        details={"check": check.pk},
    )
    return 1
