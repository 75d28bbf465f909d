"""Investigations: opening and closing them, extending their six-month deadline, and the
alerts before and after it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.conduct import policies, selectors
from ctip.conduct.codes import (
    AllegationStatus,
    ConductAction,
    InvestigatingBody,
    Measure,
    Outcome,
)
from ctip.conduct.models import Allegation, Investigation
from ctip.conduct.services.values import (
    allegation_path,
    parse_choice,
    parse_people,
    parse_whole_number,
)
from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.core.services import notify
from ctip.core.values import parse_past_date, split_items

MAX_EXTENSION_DAYS = 365


@transaction.atomic
def investigation_save(
    *, actor: User, allegation: Allegation, raw: dict[str, Any]
) -> Investigation:
    """Open or update the investigation; a finished one closes the allegation."""
    policies.require_allegation(actor, allegation)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "body": parse_choice(raw.get("body"), "body", InvestigatingBody, errors),
        "referred_on": parse_past_date(
            raw.get("referred_on"), "referred_on", errors, required=True
        ),
        "started_on": parse_past_date(raw.get("started_on"), "started_on", errors),
        "finished_on": parse_past_date(raw.get("finished_on"), "finished_on", errors),
        "outcome": parse_choice(raw.get("outcome") or Outcome.ONGOING, "outcome", Outcome, errors),
        "paternity_claims": parse_people(raw.get("paternity_claims"), "paternity_claims", errors),
        "victim_referral": str(raw.get("victim_referral") or "").strip()[:300],
    }
    for name in ("measures", "interim_measures"):
        codes = sorted(set(split_items(raw.get(name))))
        if set(codes) - set(Measure.values):
            errors[name] = _("Codes from: %(codes)s") % {"codes": ", ".join(Measure.values)}
        values[name] = ";".join(codes)
    finished = values["outcome"] != Outcome.ONGOING
    if finished and not values["finished_on"]:
        errors["finished_on"] = _("Give the date the investigation finished.")
    if not finished and values["finished_on"]:
        errors["outcome"] = _("A finished investigation has an outcome.")
    if values["referred_on"] and values["referred_on"] < allegation.reported_on:
        errors["referred_on"] = _("Referral cannot come before the report.")
    if errors:
        raise ValidationError(errors)
    investigation = selectors.investigation_of(user=actor, allegation=allegation) or Investigation(
        allegation=allegation
    )
    for name, value in values.items():
        setattr(investigation, name, value)
    investigation.updated_at = timezone.now()
    investigation.save()
    allegation.status = (
        AllegationStatus.CLOSED if finished else AllegationStatus.UNDER_INVESTIGATION
    )
    allegation.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=ConductAction.INVESTIGATION_SAVED,
        target=allegation,
        entity=allegation.entity,
        details={"outcome": investigation.outcome},
    )
    return investigation


@transaction.atomic
def investigation_extend(
    *, actor: User, investigation: Investigation, days: Any, reason: str
) -> Investigation:
    """More time for an investigation, with the reason; `days` as typed (1 to 365)."""
    policies.require_allegation(actor, investigation.allegation)
    errors: dict[str, str] = {}
    extra = parse_whole_number(days, maximum=MAX_EXTENSION_DAYS)
    if not extra:
        errors["days"] = _("A number of days from 1 to 365.")
    reason = str(reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the investigation needs more time.")
    if errors or extra is None:
        raise ValidationError(errors)
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    investigation.extension_days += extra
    investigation.extensions.append(
        {
            "days": extra,
            "reason": reason[:500],
            "by": actor.full_name,
            "at": timezone.now().isoformat(),
        }
    )
    # a new deadline: alerts about the old one no longer hold
    investigation.alerts_sent = []
    investigation.save(update_fields=["extension_days", "extensions", "alerts_sent"])
    audit_record(
        actor=actor,
        action=ConductAction.INVESTIGATION_EXTENDED,
        target=investigation.allegation,
        entity=investigation.allegation.entity,
        details={"days": extra},
    )
    return investigation


ALERTS = (("overdue", -1), ("7", 7), ("30", 30))


def _due_alert(investigation: Investigation, today: datetime.date) -> tuple[str, int] | None:
    """The most urgent alert that applies and was not sent yet: one a day is enough."""
    left = investigation.days_left(today)
    for label, within in ALERTS:
        due = left < 0 if label == "overdue" else left <= within
        if due and label not in investigation.alerts_sent:
            return label, within
    return None


def deadline_alerts(today: datetime.date | None = None) -> int:
    """Tell the conduct officers 30 and 7 days before an investigation is due, and when it is
    overdue; each alert once. Run daily (`ctip conduct_alerts`). Each alert commits with its
    marker, its notification and its audit event, or not at all."""
    today = today or timezone.localdate()
    sent = 0
    for pk in selectors.investigations_to_watch():
        sent += _alert_one(pk, today)
    return sent


@transaction.atomic
def _alert_one(investigation_id: int, today: datetime.date) -> int:
    investigation = (
        Investigation.objects.select_for_update()
        .select_related("allegation__entity")
        .filter(pk=investigation_id, outcome=Outcome.ONGOING)
        .first()
    )
    found = _due_alert(investigation, today) if investigation else None
    if investigation is None or found is None:
        return 0
    label, within = found
    allegation = investigation.allegation
    subject = (
        _("Investigation %(ref)s is overdue")
        if label == "overdue"
        else _("Investigation %(ref)s is due in %(days)s days")
    ) % {"ref": allegation.reference, "days": investigation.days_left(today)}
    notify(
        list(policies.officers_to_tell(allegation.entity)),
        subject,
        subject,
        allegation_path(allegation.pk),
    )
    investigation.alerts_sent = sorted(
        {*investigation.alerts_sent, *[a for a, w in ALERTS if w >= within]}
    )
    investigation.save(update_fields=["alerts_sent"])
    audit_record(
        actor=None,
        actor_label="cli:conduct_alerts",
        action=ConductAction.DEADLINE_ALERT,
        target=allegation,
        entity=allegation.entity,
        details={"alert": label},
    )
    return 1
