"""The keyed, hash-chained audit log.

Each event's hash is an HMAC-SHA256, under an audit key from the key file (never from the
database), of its own fields and the previous event's hash: changing, removing or reordering
any past event breaks every hash after it, and someone with the database but not the key
cannot recompute them. Against someone who has both, an administrator keeps signed
checkpoints (sequence and hash) elsewhere: `audit_verify(checkpoints=...)` shows a history
rewritten before them. Appends lock the single AuditChainHead row, so concurrent writers (web
workers, task workers) extend one chain. Services call `audit_record` inside their own
transaction: the event commits or rolls back with the change it describes.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.crypto import keyring
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
    AUDIT_CHECKPOINT = "audit.checkpoint", _("Audit checkpoint exported")
    BACKUP_MADE = "backup.made", _("Database backed up")
    BACKUP_RESTORED = "backup.restored", _("Database restored from a backup")
    DEMO_LOADED = "demo.loaded", _("Demo data loaded")


_action_lists: list[type[models.TextChoices]] = [AuditAction]


def register_actions(actions: type[models.TextChoices]) -> None:
    """Apps add their own audit actions (from AppConfig.ready) so the log can filter by them."""
    if actions not in _action_lists:
        _action_lists.append(actions)


def action_choices() -> list[tuple[str, str]]:
    return [choice for actions in _action_lists for choice in actions.choices]


def action_label(action: str) -> str:
    """An audit action's words in the active language ("Court decision published"); an
    action no app registers any more is shown as its code."""
    for actions in _action_lists:
        if action in actions.values:
            return str(actions(action).label)
    return action


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _canonical(event: AuditEvent) -> bytes:
    fields: dict[str, Any] = {
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
    if event.key_id:
        fields["key_id"] = event.key_id
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class UnknownAuditKey(KeyError):
    pass


def _audit_key(key_id: str) -> bytes:
    ring = keyring()
    if key_id not in ring.audit_keys:
        ring = keyring(refresh=True)
    if key_id not in ring.audit_keys:
        raise UnknownAuditKey(key_id)
    return ring.audit_keys[key_id]


def compute_hash(event: AuditEvent) -> str:
    """HMAC-SHA256 under the event's audit key; plain SHA-256 for a legacy (unkeyed) event."""
    if not event.key_id:
        return hashlib.sha256(_canonical(event)).hexdigest()
    return hmac.new(_audit_key(event.key_id), _canonical(event), hashlib.sha256).hexdigest()


_ACTING_VIA: contextvars.ContextVar[str] = contextvars.ContextVar("acting_via", default="")


@contextlib.contextmanager
def acting_via(label: str) -> Iterator[None]:
    """Events written inside name who really acted: a command run as a user by an operator
    is not the user on the page (`alice@un.org via cli:publish_round (root)`)."""
    token = _ACTING_VIA.set(label)
    try:
        yield
    finally:
        _ACTING_VIA.reset(token)


def _label(actor: User | None) -> str:
    via = _ACTING_VIA.get()
    name = actor.email if actor else "system"
    return f"{name} via {via}" if via else name


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
        actor_label=actor_label or _label(actor),
        entity=entity,
        action=str(action),
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        details=json.loads(json.dumps(details or {}, default=str)),
        ip_address=client_ip(request),
        prev_hash=head.hash,
        key_id=keyring().audit_current,
    )
    event.hash = compute_hash(event)
    event.save()
    head.sequence, head.hash = event.sequence, event.hash
    if changes_data(event.action):
        head.changed_sequence = event.sequence
    head.save(update_fields=["sequence", "hash", "changed_sequence"])
    return event


# Events that record a read, a sign-in or a copy, never a change: they leave the public
# pages' cache as it is. Anything else (an action not listed, a new one) empties it.
READ_SUFFIXES = ("_viewed", ".viewed", "_read", ".login", ".login_failed", ".locked_out", ".logout")
READ_ACTIONS = frozenset(
    {"auth.2fa_failed", "export.created", "audit.checkpoint", "backup.made", "job.started"}
)


def changes_data(action: str) -> bool:
    return not (action.endswith(READ_SUFFIXES) or action in READ_ACTIONS)


def data_version() -> int:
    """The sequence of the last event that may have changed data: what is computed from the
    data can be kept under it, in every process, until the next write commits."""
    head = AuditChainHead.objects.filter(id=1).values_list("changed_sequence", flat=True)
    return head.first() or 0


@dataclass(frozen=True)
class ChainReport:
    events_checked: int
    first_bad_sequence: int | None = None
    problem: str = ""
    unkeyed_events: int = 0  # legacy events before keyed hashing, at the start of the chain
    checkpoints_matched: int = 0

    @property
    def intact(self) -> bool:
        return self.first_bad_sequence is None


@dataclass(frozen=True)
class Checkpoint:
    """A chain position an administrator keeps outside the database, signed with the audit key
    so that a forged one is refused too."""

    sequence: int
    hash: str
    created_at: str
    key_id: str
    signature: str

    def _message(self) -> bytes:
        return (
            f"ctip-audit-checkpoint\x00{self.sequence}\x00{self.hash}\x00{self.created_at}".encode()
        )

    def signature_valid(self) -> bool:
        try:
            key = _audit_key(self.key_id)
        except UnknownAuditKey:
            return False
        expected = hmac.new(key, self._message(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.signature)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        try:
            raw = json.loads(text)
            return cls(
                sequence=int(raw["sequence"]),
                hash=str(raw["hash"]),
                created_at=str(raw["created_at"]),
                key_id=str(raw["key_id"]),
                signature=str(raw["signature"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"not a CTIP audit checkpoint: {error}") from error


def audit_checkpoint() -> Checkpoint:
    """The chain's current head, signed: export it and keep it apart from the database."""
    head = AuditChainHead.objects.filter(id=1).first()
    sequence, chain_hash = (head.sequence, head.hash) if head else (0, GENESIS_HASH)
    key_id = keyring().audit_current
    unsigned = Checkpoint(sequence, chain_hash, timezone.now().isoformat(), key_id, "")
    signature = hmac.new(_audit_key(key_id), unsigned._message(), hashlib.sha256).hexdigest()
    return Checkpoint(sequence, chain_hash, unsigned.created_at, key_id, signature)


def _events_in_order(batch_size: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence


def audit_verify(checkpoints: list[Checkpoint] | tuple[Checkpoint, ...] = ()) -> ChainReport:
    """Walk the whole chain; report the first event that does not fit. Every checkpoint must
    carry a valid signature and match the event at its sequence."""
    for checkpoint in checkpoints:
        if not checkpoint.signature_valid():
            return ChainReport(0, checkpoint.sequence, "the checkpoint's signature is not valid")
    expected = {c.sequence: c.hash for c in checkpoints if c.sequence > 0}
    expected_prev, expected_sequence, checked, unkeyed, matched = GENESIS_HASH, 1, 0, 0, 0
    for event in _events_in_order():
        if event.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, "event missing from the chain")
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.sequence, "previous hash does not match")
        if not event.key_id:
            if unkeyed != checked:
                return ChainReport(checked, event.sequence, "an unkeyed event after keyed ones")
            unkeyed += 1
        try:
            if compute_hash(event) != event.hash:
                return ChainReport(checked, event.sequence, "content does not match its hash")
        except UnknownAuditKey:
            return ChainReport(
                checked, event.sequence, f"its audit key {event.key_id!r} is not in the key file"
            )
        if event.sequence in expected:
            if expected.pop(event.sequence) != event.hash:
                return ChainReport(
                    checked, event.sequence, "history rewritten: it differs from the checkpoint"
                )
            matched += 1
        expected_prev, expected_sequence, checked = event.hash, event.sequence + 1, checked + 1
    if expected:
        missing = min(expected)
        return ChainReport(checked, missing, "events up to a checkpoint were removed")
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.sequence, head.hash) != (expected_sequence - 1, expected_prev):
        return ChainReport(checked, expected_sequence, "events after this one were removed")
    return ChainReport(checked, unkeyed_events=unkeyed, checkpoints_matched=matched)
