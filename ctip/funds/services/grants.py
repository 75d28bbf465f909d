"""Funds and their grants: one grant by hand, or a file of them from the fund's own system
(`ctip import_grants`), all rows or none, idempotent by `grant_id`; and the same columns back
out (`ctip export_grants`), so that a round trip changes nothing."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.exports import spreadsheet_unsafe
from ctip.core.models import Country, User
from ctip.core.values import unprintable
from ctip.funds import policies, selectors
from ctip.funds.codes import FundsAction, GrantStatus, Purpose, currencies
from ctip.funds.models import Fund, Grant
from ctip.funds.services.reports import schedule_reports
from ctip.tabular import formula_like

COLUMNS = ["grant_id", "grantee", "country", "amount", "currency", "start", "end", "status"]
MAX_GRANT_ROWS = 50_000
MAX_AMOUNT = Decimal("1000000000000")
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
LONGEST = datetime.timedelta(
    days=3653
)  # ten years  # 10^12 in any currency: beyond it, a typing error
FIELDS = ("grantee", "country", "amount", "currency", "start", "end", "status")
FUND_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,19}$")


@transaction.atomic
def fund_save(*, actor: User | None, raw: dict[str, Any], entity: Any = None) -> Fund:
    """A new fund of the actor's entity (or, from the command line or the demo, `entity`)."""
    if actor is not None:
        policies.require_manager(actor)
        entity = actor.entity
    code = str(raw.get("code") or "").strip().upper()
    name = str(raw.get("name") or "").strip()
    purpose = str(raw.get("purpose") or "").strip()
    errors = {}
    if not FUND_CODE.match(code):
        errors["code"] = _("2 to 20 capital letters, digits or hyphens, starting with a letter.")
    elif Fund.objects.filter(code=code).exists():
        errors["code"] = _("A fund with this code exists.")
    if not name or len(name) > 200:
        errors["name"] = _("A name of 1 to 200 characters.")
    if purpose not in Purpose.values:
        errors["purpose"] = _("One of: %(codes)s") % {"codes": ", ".join(Purpose.values)}
    if errors:
        raise ValidationError(errors)
    fund = Fund.objects.create(code=code, name=name, purpose=purpose, entity=entity)
    audit_record(
        actor=actor,
        action=FundsAction.FUND_SAVED,
        target=fund,
        entity=entity,
        actor_label="" if actor else "ctip",
    )
    return fund


def parse_amount(raw: Any, name: str, errors: dict[str, str]) -> Decimal:
    """A positive amount with at most 2 decimals, below 10^12; else 0 and the error."""
    try:
        amount = Decimal(str(raw or "").strip().replace(" ", ""))
        if (
            not amount.is_finite()
            or not 0 < amount < MAX_AMOUNT
            or amount != amount.quantize(Decimal("0.01"))
        ):
            raise InvalidOperation
    except InvalidOperation:
        errors[name] = _(
            "An amount above 0 with at most 2 decimals, such as 150000.00 (no thousands separator)."
        )
        return Decimal(0)
    return amount


def parse_day(raw: Any, name: str, errors: dict[str, str]) -> datetime.date:
    """A date as YYYY-MM-DD between 2000 and 2100 (a typing error otherwise: a year 9999
    would schedule reports for eight thousand years); date.min with the error."""
    try:
        day = datetime.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= LATEST:
        errors[name] = _("A date as YYYY-MM-DD, between 2000 and 2100.")
        return datetime.date.min
    return day


def grant_id_problem(grant_id: str) -> str:
    if not grant_id or len(grant_id) > 100 or formula_like(grant_id) or unprintable(grant_id):
        return _("An id of 1 to %(n)s characters.") % {"n": 100}
    return ""


def planned_and_paid(grant: Grant) -> tuple[Decimal, Decimal]:
    """The sums of the grant's instalments and of its disbursements."""
    planned = grant.instalments.aggregate(n=Sum("amount"))["n"] or Decimal(0)
    paid = grant.disbursements.aggregate(n=Sum("amount"))["n"] or Decimal(0)
    return planned, paid


def money_problem(grant: Grant, values: dict[str, Any]) -> dict[str, str]:
    """A grant with money planned or paid keeps its currency, and its amount covers them."""
    errors = {}
    planned, paid = planned_and_paid(grant)
    if (paid or planned) and values["currency"] != grant.currency:
        errors["currency"] = _("Money was planned or paid in %(currency)s: the currency stays.") % {
            "currency": grant.currency
        }
    if values["amount"] < max(paid, planned):
        errors["amount"] = _("Below the %(total)s already planned or paid.") % {
            "total": f"{max(paid, planned):,.2f}"
        }
    return errors


def clean_grant(raw: dict[str, Any], countries: set[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """A grant's values from one row (or form), and what is wrong, by column."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    grantee = str(raw.get("grantee") or "").strip()
    if not grantee or len(grantee) > 200 or formula_like(grantee) or unprintable(grantee):
        errors["grantee"] = _("The grantee's name, 1 to 200 characters.")
    values["grantee"] = grantee
    country = str(raw.get("country") or "").strip().upper()
    if country not in countries:
        errors["country"] = _("A country's ISO 3166 alpha-3 code, such as NGA.")
    values["country_id"] = country
    amount = parse_amount(raw.get("amount"), "amount", errors)
    values["amount"] = amount
    currency = str(raw.get("currency") or "").strip().upper()
    if currency not in currencies():
        errors["currency"] = _("An ISO 4217 currency code, such as USD or EUR.")
    values["currency"] = currency
    for name in ("start", "end"):
        values[name] = parse_day(raw.get(name), name, errors)
    if "start" not in errors and "end" not in errors:
        if values["end"] < values["start"]:
            errors["end"] = _("On or after the start.")
        elif values["end"] - values["start"] > LONGEST:
            errors["end"] = _("A grant runs for ten years at most.")
    status = str(raw.get("status") or "").strip().lower()
    if status not in GrantStatus.values:
        errors["status"] = _("One of: %(codes)s") % {"codes": ", ".join(GrantStatus.values)}
    values["status"] = status
    return values, errors


def _dates_changed(grant: Grant, values: dict[str, Any]) -> bool:
    return (grant.start, grant.end) != (values["start"], values["end"])


def _changed(grant: Grant, values: dict[str, Any]) -> bool:
    return any(getattr(grant, key) != value for key, value in values.items())


@dataclass
class GrantsReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False

    def problem(self, row: int, column: str, value: Any, expected: str) -> None:
        self.errors.append(
            {"row": row, "column": column, "value": str(value)[:200], "expected": expected}
        )


def grants_import(
    *,
    fund: Fund,
    rows: list[tuple[int, dict[str, str]]],
    dry_run: bool = False,
    actor: User | None = None,
    actor_label: str = "",
) -> GrantsReport:
    """Validate every row, then write them all (or, with any error or a dry run, none). A
    `grant_id` seen before updates its grant when a value differs, and is left alone when
    none does: importing the same file twice changes nothing."""
    if actor is not None:
        policies.require_fund(actor, fund)
    report = GrantsReport(dry_run=dry_run)
    columns = set(rows[0][1]) if rows else set()
    for name in COLUMNS:
        if name not in columns:
            report.problem(1, name, "", _("A column named %(name)s.") % {"name": name})
    for name in sorted(columns - set(COLUMNS)):
        report.problem(
            1, name, name, _("One of the columns %(names)s.") % {"names": ", ".join(COLUMNS)}
        )
    if not rows:
        report.problem(1, "grant_id", "", _("At least one grant."))
    if report.errors:
        return report
    countries = set(Country.objects.values_list("alpha3", flat=True))
    existing = selectors.grant_ids(fund)
    seen: dict[str, int] = {}
    new, changed = [], []
    for number, row in rows:
        row = {key: spreadsheet_unsafe(str(value)) for key, value in row.items()}
        grant_id = str(row.get("grant_id") or "").strip()
        if problem := grant_id_problem(grant_id):
            report.problem(number, "grant_id", grant_id, problem)
            continue
        if grant_id in seen:
            report.problem(
                number,
                "grant_id",
                grant_id,
                _("Once per file: row %(row)s has the same id.") % {"row": seen[grant_id]},
            )
            continue
        seen[grant_id] = number
        values, errors = clean_grant(row, countries)
        before = existing.get(grant_id)
        if before is not None and not errors:
            errors = money_problem(before, values)
        for column, message in errors.items():
            report.problem(number, column, row.get(column, ""), message)
        if errors:
            continue
        if before is None:
            new.append(Grant(fund=fund, grant_id=grant_id, **values))
        elif _changed(before, values):
            changed.append((before, values))
        else:
            report.unchanged += 1
    report.created, report.updated = len(new), len(changed)
    if report.errors:
        report.created = report.updated = report.unchanged = 0
    if report.errors or dry_run:
        return report
    _write(fund, new, changed, report, actor, actor_label)
    return report


@transaction.atomic
def _write(
    fund: Fund,
    new: list[Grant],
    changed: list[tuple[Grant, dict[str, Any]]],
    report: GrantsReport,
    actor: User | None,
    actor_label: str,
) -> None:
    Grant.objects.bulk_create(new, batch_size=1000)
    moved = [g for g, values in changed if _dates_changed(g, values)]
    now = timezone.now()
    for grant, values in changed:
        for key, value in values.items():
            setattr(grant, key, value)
        grant.updated_at = now
    Grant.objects.bulk_update([g for g, _v in changed], [*FIELDS_DB, "updated_at"], batch_size=1000)
    created = Grant.objects.filter(fund=fund, grant_id__in=[g.grant_id for g in new])
    for grant in [*created, *moved]:  # reports follow the grant's (new) dates
        schedule_reports(grant)
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=FundsAction.GRANTS_IMPORTED,
        target=fund,
        entity=fund.entity,
        details={
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )


FIELDS_DB = ["grantee", "country_id", "amount", "currency", "start", "end", "status"]


@transaction.atomic
def grant_save(*, actor: User, fund: Fund, raw: dict[str, Any]) -> Grant:
    """One grant by hand: new, or its values replaced when the `grant_id` exists."""
    policies.require_fund(actor, fund)
    grant_id = str(raw.get("grant_id") or "").strip()
    values, errors = clean_grant(raw, set(Country.objects.values_list("alpha3", flat=True)))
    if problem := grant_id_problem(grant_id):
        errors["grant_id"] = problem
    before = Grant.objects.select_for_update().filter(fund=fund, grant_id=grant_id).first()
    if before is not None and not errors:
        errors = money_problem(before, values)
    if errors:
        raise ValidationError(errors)
    grant, created = Grant.objects.get_or_create(fund=fund, grant_id=grant_id, defaults=values)
    rescheduled = created or _dates_changed(grant, values)
    if not created:
        for key, value in values.items():
            setattr(grant, key, value)
        grant.updated_at = timezone.now()
        grant.save()
    if rescheduled:
        schedule_reports(grant)
    audit_record(
        actor=actor,
        action=FundsAction.GRANT_SAVED,
        target=grant,
        details={"grant_id": grant_id, "created": int(created)},
    )
    return grant


def grant_values(grant: Grant) -> list[str]:
    """A grant in the import's columns, as the import reads them back."""
    return [
        grant.grant_id,
        grant.grantee,
        grant.country_id,
        f"{grant.amount:.2f}",
        grant.currency,
        grant.start.isoformat(),
        grant.end.isoformat(),
        grant.status,
    ]


def export_rows(fund: Fund) -> list[list[str]]:
    return [grant_values(g) for g in Grant.objects.filter(fund=fund).order_by("grant_id")]


@transaction.atomic
def grants_exported(
    *, fund: Fund, rows: int, actor: User | None = None, actor_label: str = ""
) -> None:
    if actor is not None:
        policies.require_fund(actor, fund)
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=FundsAction.GRANTS_EXPORTED,
        target=fund,
        entity=fund.entity,
        details={"rows": rows},
    )
