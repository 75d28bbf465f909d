"""Key rotation: move every encrypted value to the keyring's current key."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from ctip.core.audit import AuditAction, audit_record
from ctip.core.crypto import (
    decrypt,
    encrypt,
    encrypted_fields,
    key_id_of,
    keyring,
)
from ctip.keyfile import Keyring

BATCH = 1000


def _stored_values(model: Any, field: Any) -> Iterator[tuple[Any, str]]:
    """(primary key, stored ciphertext) of every non-empty value of one encrypted column,
    read raw, in batches, so that ten million values do not sit in memory at once."""
    quote = connection.ops.quote_name
    table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
    select = (
        f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} "  # noqa: S608
        f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
    )
    with connection.chunked_cursor() as cursor:  # server-side on PostgreSQL
        cursor.execute(select)
        while rows := cursor.fetchmany(BATCH):
            yield from rows


@dataclass
class DecryptReport:
    """What `decrypt_check` found: values that decrypt, and the columns where some do not."""

    checked: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    missing_keys: set[str] = field(default_factory=set)

    @property
    def intact(self) -> bool:
        return not self.failed


def decrypt_check(*, ring: Keyring | None = None) -> DecryptReport:
    """Decrypt every encrypted value in the database (after a restore, say) and count those
    that fail, by column, with the key ids the keyring lacks. Nothing decrypted is kept."""
    ring = ring or keyring()
    report = DecryptReport()
    for model, encrypted in encrypted_fields():
        column = f"{model._meta.db_table}.{encrypted.column}"
        for _, stored in _stored_values(model, encrypted):
            report.checked += 1
            try:
                decrypt(stored, context=encrypted.encryption_context, ring=ring)
            except ValueError:  # DecryptionError, and a payload too short or not UTF-8
                report.failed[column] = report.failed.get(column, 0) + 1
                key_id = key_id_of(stored) if stored.count(":") >= 2 else ""
                if key_id and key_id not in ring.keys:
                    report.missing_keys.add(key_id)
    return report


@transaction.atomic
def reencrypt_all(*, ring: Keyring) -> dict[str, int]:
    """Re-encrypt, in one transaction, every value not yet under `ring.current`.

    Reads and writes the raw column so no value passes through the model layer twice; a value
    that fails to decrypt stops everything (and rolls back) rather than being lost.
    """
    counts: dict[str, int] = {}
    quote = connection.ops.quote_name
    for model, encrypted in encrypted_fields():
        table, column, pk = model._meta.db_table, encrypted.column, model._meta.pk.column
        context = encrypted.encryption_context
        update = f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(pk)} = %s"  # noqa: S608
        changed = [
            (encrypt(decrypt(stored, context=context, ring=ring), context=context, ring=ring), key)
            for key, stored in _stored_values(model, encrypted)
            if key_id_of(stored) != ring.current
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(changed), BATCH):
                cursor.executemany(update, changed[start : start + BATCH])
        counts[f"{table}.{column}"] = len(changed)
    audit_record(
        actor=None,
        actor_label="cli:rotate_keys",
        action=AuditAction.KEYS_ROTATED,
        details={"current_key": ring.current, "values": sum(counts.values())},
    )
    return counts
