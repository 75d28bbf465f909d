"""Copy each case's identity into CaseIdentity, re-encrypted.

A ciphertext is bound to its column by its associated data (`cases.case.names`), so a copy
into `cases_caseidentity.names` must be decrypted and encrypted again for the new context.
The copy works on raw column values with explicit contexts, so it does not depend on what
the field classes will look like later. Reversible: going back copies the values into the
case's columns, again re-encrypted. Runs in batches; never logs a value."""

from django.db import migrations

from ctip.core.crypto import decrypt, encrypt

FIELDS = ("names", "date_of_birth", "contacts", "documents", "narrative", "best_interests")
BATCH = 500


def _move(value: str | None, source: str, target: str) -> str:
    if not value:
        return ""
    return encrypt(decrypt(value, context=source), context=target)


def _tables(apps, connection):  # type: ignore[no-untyped-def]
    quote = connection.ops.quote_name
    case = apps.get_model("cases", "Case")._meta.db_table
    identity = apps.get_model("cases", "CaseIdentity")._meta.db_table
    return quote(case), quote(identity), [quote(f) for f in FIELDS]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    case, identity, columns = _tables(apps, connection)
    insert = (
        f"INSERT INTO {identity} (case_id, {', '.join(columns)}) "
        f"VALUES (%s, {', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as reader, connection.cursor() as writer:
        reader.execute(f"SELECT id, {', '.join(columns)} FROM {case} ORDER BY id")
        while rows := reader.fetchmany(BATCH):
            writer.executemany(
                insert,
                [
                    (
                        row[0],
                        *(
                            _move(value, f"cases.case.{name}", f"cases.caseidentity.{name}")
                            for name, value in zip(FIELDS, row[1:], strict=True)
                        ),
                    )
                    for row in rows
                ],
            )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    case, identity, columns = _tables(apps, connection)
    update = f"UPDATE {case} SET {', '.join(f'{c} = %s' for c in columns)} WHERE id = %s"
    with connection.cursor() as reader, connection.cursor() as writer:
        reader.execute(f"SELECT case_id, {', '.join(columns)} FROM {identity} ORDER BY case_id")
        while rows := reader.fetchmany(BATCH):
            writer.executemany(
                update,
                [
                    (
                        *(
                            _move(value, f"cases.caseidentity.{name}", f"cases.case.{name}")
                            for name, value in zip(FIELDS, row[1:], strict=True)
                        ),
                        row[0],
                    )
                    for row in rows
                ],
            )
        writer.execute(f"DELETE FROM {identity}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_caseidentity"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
