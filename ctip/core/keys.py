"""Key rotation: move every encrypted value to the keyring's current key."""

from django.db import connection, transaction

from ctip.core.audit import AuditAction, audit_record
from ctip.core.crypto import decrypt, encrypt, encrypted_fields, key_id_of
from ctip.keyfile import Keyring

BATCH = 1000


@transaction.atomic
def reencrypt_all(*, ring: Keyring) -> dict[str, int]:
    """Re-encrypt, in one transaction, every value not yet under `ring.current`.

    Reads and writes the raw column so no value passes through the model layer twice; a value
    that fails to decrypt stops everything (and rolls back) rather than being lost.
    """
    counts: dict[str, int] = {}
    quote = connection.ops.quote_name
    for model, field in encrypted_fields():
        table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
        context = field.encryption_context
        select = (
            f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} "  # noqa: S608
            f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
        )
        update = f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(pk)} = %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(select)
            rows = cursor.fetchall()
        changed = [
            (encrypt(decrypt(stored, context=context, ring=ring), context=context, ring=ring), key)
            for key, stored in rows
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
