"""The hash-chained audit log.

Each event's hash covers its own fields and the previous event's hash, so changing,
removing or reordering any past event breaks every hash after it. Appends lock the single
AuditChainHead row, so concurrent writers (web workers, task workers) extend one chain.
Services call `audit_record` inside their own transaction: the event commits or rolls back
with the change it describes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.models import AuditChainHead, AuditEvent, Entity, User

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    LOGIN = "auth.login", _("Signed in")
    LOGIN_FAILED = "auth.login_failed", _("Failed sign-in")
    LOCKED_OUT = "auth.locked_out", _("Account locked after failed sign-ins")
    LOGOUT = "auth.logout", _("Signed out")
    TWO_FACTOR_ENABLED = "auth.2fa_enabled", _("Two-factor authentication enabled")
    TWO_FACTOR_FAILED = "auth.2fa_failed", _("Wrong two-factor code")
    TWO_FACTOR_RESET = "auth.2fa_reset", _("Two-factor authentication reset by an administrator")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    TOKEN_CREATED = "auth.token_created", _("API token created")
    TOKEN_REVOKED = "auth.token_revoked", _("API token revoked")
    ENTITY_CREATED = "entity.created", _("Entity created")
    ENTITY_UPDATED = "entity.updated", _("Entity updated")
    USER_CREATED = "user.created", _("User created")
    USER_ROLE_CHANGED = "user.role_changed", _("Role changed")
    USER_DEACTIVATED = "user.deactivated", _("User deactivated")
    USER_LANGUAGE_CHANGED = "user.language_changed", _("Language changed")
    REFERENCE_LOADED = "reference.loaded", _("Reference data loaded")
    CONFLICT_CREATED = "conflict.created", _("Conflict situation created")
    CONFLICT_UPDATED = "conflict.updated", _("Conflict situation updated")
    IDENTITY_VIEWED = "identity.viewed", _("Identity viewed")
    EXPORT = "export.created", _("Data exported")
    JOB_STARTED = "job.started", _("Background job started")
    KEYS_ROTATED = "keys.rotated", _("Encryption keys rotated")
    DEMO_LOADED = "demo.loaded", _("Demo data loaded")


_action_lists: list[type[models.TextChoices]] = [AuditAction]


def register_actions(actions: type[models.TextChoices]) -> None:
    """Apps add their own audit actions (from AppConfig.ready) so the log can filter by them."""
    if actions not in _action_lists:
        _action_lists.append(actions)


def action_choices() -> list[tuple[str, str]]:
    return [choice for actions in _action_lists for choice in actions.choices]


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _canonical(event: AuditEvent) -> bytes:
    fields = {
        "sequence": event.sequence,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "entity_id": event.entity_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "details": event.details,
        "ip_address": event.ip_address,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


@transaction.atomic
def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    entity: Entity | None = None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event. `details` must be JSON of strings and integers, never identities."""
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    if entity is None and actor is not None:
        entity = actor.entity
    event = AuditEvent(
        sequence=head.sequence + 1,
        created_at=timezone.now(),
        actor=actor,
        actor_label=actor_label or (actor.email if actor else "system"),
        entity=entity,
        action=str(action),
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        details=json.loads(json.dumps(details or {}, default=str)),
        ip_address=client_ip(request),
        prev_hash=head.hash,
    )
    event.hash = compute_hash(event)
    event.save()
    head.sequence, head.hash = event.sequence, event.hash
    head.save(update_fields=["sequence", "hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    events_checked: int
    first_bad_sequence: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.first_bad_sequence is None


def _events_in_order(batch_size: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence


def audit_verify() -> ChainReport:
    """Walk the whole chain; report the first event that does not fit."""
    expected_prev, expected_sequence, checked = GENESIS_HASH, 1, 0
    for event in _events_in_order():
        if event.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, "event missing from the chain")
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.sequence, "previous hash does not match")
        if compute_hash(event) != event.hash:
            return ChainReport(checked, event.sequence, "content does not match its hash")
        expected_prev, expected_sequence, checked = event.hash, event.sequence + 1, checked + 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.sequence, head.hash) != (expected_sequence - 1, expected_prev):
        return ChainReport(checked, expected_sequence, "events after this one were removed")
    return ChainReport(checked)
