"""The immediate response to an allegation: its checklist and the chain of custody."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.conduct import policies
from ctip.conduct.codes import ConductAction, CustodyAction, ResponseStep
from ctip.conduct.models import Allegation, CustodyEntry
from ctip.conduct.services.values import parse_choice
from ctip.core.audit import audit_record
from ctip.core.models import User


@transaction.atomic
def step_done(*, actor: User, allegation: Allegation, step: str) -> None:
    policies.require_allegation(actor, allegation)
    if step not in ResponseStep.values:
        raise ValidationError({"step": _("Unknown step.")})
    # the row locked, so that two officers ticking two steps at once both count
    locked = Allegation.objects.select_for_update().only("steps_done").get(pk=allegation.pk)
    locked.steps_done[step] = {"at": timezone.now().isoformat(), "by": actor.full_name}
    locked.save(update_fields=["steps_done"])
    allegation.steps_done = locked.steps_done
    audit_record(
        actor=actor,
        action=ConductAction.STEP_DONE,
        target=allegation,
        entity=allegation.entity,
        details={"step": step},
    )


def _when(raw: Any, errors: dict[str, str]) -> datetime.datetime:
    try:
        at = datetime.datetime.fromisoformat(str(raw or ""))
    except ValueError:
        errors["at"] = _("A date and time such as 2024-03-31T14:30.")
        return timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > timezone.now() + datetime.timedelta(minutes=5):
        errors["at"] = _("A date cannot be in the future.")
    return at


@transaction.atomic
def custody_log(*, actor: User, allegation: Allegation, raw: dict[str, Any]) -> CustodyEntry:
    policies.require_allegation(actor, allegation)
    errors: dict[str, str] = {}
    item = str(raw.get("item") or "").strip()[:200]
    holder = str(raw.get("holder") or "").strip()[:200]
    if not item:
        errors["item"] = _("This field is required.")
    if not holder:
        errors["holder"] = _("This field is required.")
    action = parse_choice(raw.get("action"), "action", CustodyAction, errors)
    at = _when(raw.get("at"), errors)
    if errors:
        raise ValidationError(errors)
    entry = CustodyEntry.objects.create(
        allegation=allegation, item=item, action=action, holder=holder, at=at, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=ConductAction.CUSTODY_LOGGED,
        target=allegation,
        entity=allegation.entity,
        details={"action": action},
    )
    return entry
