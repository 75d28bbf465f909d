"""Identities move to their own table (issue 11): create it and copy every allegation's
encrypted fields into it. A ciphertext is bound to its column (AES-GCM associated data
`conduct.<model>.<field>`), so each value is decrypted with the old column's context and
encrypted again with the new one; no clear text is written anywhere on the way. The old
columns are dropped by 0003, in a migration (and transaction) of their own."""

import django.db.models.deletion
from django.db import migrations, models

import ctip.core.crypto

FIELDS = ("victim_identities", "subject_identity", "account")
OLD, NEW = "conduct.allegation", "conduct.allegationidentity"
BATCH = 500


def _move(schema_editor, source: str, target: str, read_from: str, write_to: str) -> None:
    """Copy the three columns from table `read_from` (context `source`) to `write_to`
    (context `target`), re-encrypting each non-empty value; raw SQL so that no field class
    encrypts or decrypts behind our back."""
    from ctip.core.crypto import decrypt, encrypt

    connection = schema_editor.connection
    q = schema_editor.quote_name
    key = "id" if read_from == "conduct_allegation" else "allegation_id"
    columns = ", ".join(q(f) for f in FIELDS)
    with connection.cursor() as reader:
        reader.execute(f"SELECT {q(key)}, {columns} FROM {q(read_from)} ORDER BY {q(key)}")  # noqa: S608
        while rows := reader.fetchmany(BATCH):
            moved = []
            for pk, *values in rows:
                moved.append(
                    [
                        pk,
                        *(
                            encrypt(decrypt(v, context=f"{source}.{f}"), context=f"{target}.{f}")
                            if v
                            else ""
                            for f, v in zip(FIELDS, values, strict=True)
                        ),
                    ]
                )
            with connection.cursor() as writer:
                if write_to == "conduct_allegationidentity":
                    writer.executemany(
                        f"INSERT INTO {q(write_to)} ({q('allegation_id')}, {columns}) "  # noqa: S608
                        f"VALUES (%s, %s, %s, %s)",
                        moved,
                    )
                else:
                    writer.executemany(
                        f"UPDATE {q(write_to)} SET "  # noqa: S608
                        + ", ".join(f"{q(f)} = %s" for f in FIELDS)
                        + f" WHERE {q('id')} = %s",
                        [[*values, pk] for pk, *values in moved],
                    )


def forwards(apps, schema_editor):
    _move(schema_editor, OLD, NEW, "conduct_allegation", "conduct_allegationidentity")


def backwards(apps, schema_editor):
    _move(schema_editor, NEW, OLD, "conduct_allegationidentity", "conduct_allegation")


class Migration(migrations.Migration):
    dependencies = [("conduct", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="AllegationIdentity",
            fields=[
                (
                    "allegation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="identity",
                        serialize=False,
                        to="conduct.allegation",
                    ),
                ),
                (
                    "victim_identities",
                    ctip.core.crypto.EncryptedTextField(
                        blank=True, verbose_name="victims' identities"
                    ),
                ),
                (
                    "subject_identity",
                    ctip.core.crypto.EncryptedTextField(
                        blank=True, verbose_name="identity of the subject"
                    ),
                ),
                (
                    "account",
                    ctip.core.crypto.EncryptedTextField(
                        blank=True, verbose_name="account of what happened"
                    ),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
