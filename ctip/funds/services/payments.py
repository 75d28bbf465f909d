"""Money: the instalments a grant agreement plans and the disbursements paid, each in the
grant's currency with the US dollar rate used (1 for a grant in dollars), never more paid
than granted."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.funds import policies
from ctip.funds.codes import FundsAction, GrantStatus
from ctip.funds.models import Disbursement, Grant, Instalment
from ctip.funds.services.grants import parse_amount, parse_day, planned_and_paid

MAX_RATE = Decimal("1000000")


@transaction.atomic
def instalment_add(*, actor: User, grant: Grant, raw: dict[str, Any]) -> Instalment:
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    policies.require_fund(actor, grant.fund)
    errors: dict[str, str] = {}
    amount, due_on = (
        parse_amount(raw.get("amount"), "amount", errors),
        parse_day(raw.get("due_on"), "due_on", errors),
    )
    planned, _paid = planned_and_paid(grant)
    if not errors and planned + amount > grant.amount:
        errors["amount"] = _(
            "The instalments would come to %(total)s, more than the %(granted)s granted."
        ) % {
            "total": f"{planned + amount:,.2f}",
            "granted": f"{grant.amount:,.2f}",
        }
    if errors:
        raise ValidationError(errors)
    instalment = Instalment.objects.create(grant=grant, due_on=due_on, amount=amount)
    audit_record(
        actor=actor,
        action=FundsAction.PAYMENT_SAVED,
        target=grant,
        details={"instalment": instalment.pk},
    )
    return instalment


@transaction.atomic
def disbursement_record(*, actor: User, grant: Grant, raw: dict[str, Any]) -> Disbursement:
    """A payment made: not in the future, not to a cancelled grant, never beyond the grant,
    with the dollar rate used (required unless the grant is in US dollars)."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    policies.require_fund(actor, grant.fund)
    errors: dict[str, str] = {}
    amount, paid_on = (
        parse_amount(raw.get("amount"), "amount", errors),
        parse_day(raw.get("paid_on"), "paid_on", errors),
    )
    if "paid_on" not in errors and paid_on > timezone.localdate():
        errors["paid_on"] = _("A payment cannot be dated in the future.")
    rate = Decimal(1)
    if grant.currency != "USD":
        try:
            rate = Decimal(str(raw.get("usd_rate") or "").strip())
            if (
                not rate.is_finite()
                or not 0 < rate < MAX_RATE
                or rate != rate.quantize(Decimal("0.000001"))  # stored with 6 places: no rounding
            ):
                raise InvalidOperation
        except InvalidOperation:
            errors["usd_rate"] = _(
                "US dollars for one %(currency)s (the UN operational rate), such as 1.08."
            ) % {"currency": grant.currency}
    reference = str(raw.get("reference") or "").strip()
    if len(reference) > 100:
        errors["reference"] = _("At most %(n)d characters.") % {"n": 100}
    if grant.status == GrantStatus.CANCELLED:
        errors["amount"] = _("This grant is cancelled.")
    _planned, paid = planned_and_paid(grant)
    if "amount" not in errors and paid + amount > grant.amount:
        errors["amount"] = _(
            "Payments would come to %(total)s, more than the %(granted)s granted."
        ) % {
            "total": f"{paid + amount:,.2f}",
            "granted": f"{grant.amount:,.2f}",
        }
    if errors:
        raise ValidationError(errors)
    payment = Disbursement.objects.create(
        grant=grant,
        paid_on=paid_on,
        amount=amount,
        usd_rate=rate,
        reference=reference,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=FundsAction.PAYMENT_SAVED,
        target=grant,
        details={"disbursement": payment.pk},
    )
    return payment
