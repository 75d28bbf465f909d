from typing import ClassVar

import pytest
from django.core.management import call_command
from django.db import connection, models

from ctip.core.audit import AuditAction
from ctip.core.crypto import (
    DecryptionError,
    EncryptedTextField,
    blind_index,
    decrypt,
    encrypt,
    key_id_of,
)
from ctip.core.models import AuditEvent
from ctip.keyfile import parse_keyring, write_keyring


class IdentityNote(models.Model):
    """A stand-in for the apps' identity tables (cases, allegations) in these tests."""

    objects: ClassVar[models.Manager["IdentityNote"]]

    full_name = EncryptedTextField(blank=True)
    name_index = models.CharField(max_length=64, blank=True)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return f"note {self.pk}"


@pytest.fixture
def identity_table(transactional_db):
    with connection.schema_editor() as editor:
        editor.create_model(IdentityNote)
    yield IdentityNote
    with connection.schema_editor() as editor:
        editor.delete_model(IdentityNote)


def raw_value(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM core_identitynote WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_round_trip_and_no_clear_text_at_rest(identity_table):
    note = IdentityNote.objects.create(full_name="Fatima Al-Hassan فاطمة 李华")
    stored = raw_value(note.pk)
    assert "Fatima" not in stored and "李华" not in stored
    assert stored.startswith("ctip1:test-1:")
    assert IdentityNote.objects.get(pk=note.pk).full_name == "Fatima Al-Hassan فاطمة 李华"


def test_same_plaintext_encrypts_differently_each_time():
    assert encrypt("Amina", context="a.b") != encrypt("Amina", context="a.b")


def test_a_ciphertext_moved_to_another_column_does_not_decrypt():
    sealed = encrypt("Amina", context="cases.case.full_name")
    with pytest.raises(DecryptionError):
        decrypt(sealed, context="cases.case.notes")


def test_a_changed_ciphertext_fails_authentication():
    sealed = encrypt("Amina", context="x")
    broken = sealed[:-6] + ("AAAA" if not sealed.endswith("AAAA==") else "BBBB") + "=="
    with pytest.raises(DecryptionError):
        decrypt(broken, context="x")


def test_ciphertext_columns_cannot_be_queried_by_value(identity_table):
    with pytest.raises(Exception, match=r"(?i)unsupported lookup|join on the field"):
        list(IdentityNote.objects.filter(full_name="Amina"))


def test_blind_index_matches_despite_case_and_spacing_but_is_keyed(settings):
    first = blind_index("  Amina  NDOYE ", purpose="name")
    assert first == blind_index("amina ndoye", purpose="name")
    assert first != blind_index("amina ndoye", purpose="document")
    assert "amina" not in first
    other_key, other_index = "A" * 43 + "=", "B" * 43 + "="
    settings.CTIP_KEYRING = parse_keyring(
        f'{{"current":"k","keys":{{"k":"{other_key}"}},"blind_index_key":"{other_index}"}}',
        source="env",
    )
    assert blind_index("amina ndoye", purpose="name") != first


def test_rotate_keys_reencrypts_everything_and_loses_nothing(identity_table, settings, tmp_path):
    # given values under the first key, kept in a key file
    keyfile = tmp_path / "keys.json"
    write_keyring(settings.CTIP_KEYRING, keyfile)
    settings.CTIP_KEYRING = parse_keyring(keyfile.read_text(), source=str(keyfile))
    names = [f"Person {n} — شخص {n} — 人 {n}" for n in range(25)]
    notes = [IdentityNote.objects.create(full_name=name) for name in names]
    # when
    call_command("rotate_keys")
    # then: a new current key in the file, the old one kept, every value under the new key
    ring = parse_keyring(keyfile.read_text(), source=str(keyfile))
    assert ring.current != "test-1" and "test-1" in ring.keys
    assert {key_id_of(raw_value(n.pk)) for n in notes} == {ring.current}
    assert [IdentityNote.objects.get(pk=n.pk).full_name for n in notes] == names
    assert AuditEvent.objects.filter(action=AuditAction.KEYS_ROTATED).exists()
    # and values still decrypt when only the new key is left
    settings.CTIP_KEYRING = parse_keyring(
        ring.to_json().replace('"test-1"', '"retired"'), source="env"
    )
    assert IdentityNote.objects.get(pk=notes[0].pk).full_name == names[0]


def test_rotation_stops_without_losing_anything_when_a_value_cannot_be_read(
    identity_table, settings
):
    good = IdentityNote.objects.create(full_name="Readable")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_identitynote (full_name, name_index) VALUES (%s, '')",
            ["ctip1:unknown-key:AAAA"],
        )
    before = raw_value(good.pk)
    settings.CTIP_KEYRING = settings.CTIP_KEYRING.with_new_key()
    with pytest.raises(DecryptionError):
        call_command("rotate_keys", "--reencrypt-only")
    assert raw_value(good.pk) == before


@pytest.fixture
def key_file_ring(settings, tmp_path, monkeypatch):
    """Keys from a key file, as in production, with a fast reload for the tests."""
    from ctip.core import crypto

    monkeypatch.setattr(crypto, "KEYRING_RELOAD_SECONDS", 0.2)
    keyfile = tmp_path / "keys.json"
    write_keyring(settings.CTIP_KEYRING, keyfile)
    settings.CTIP_KEYRING = parse_keyring(keyfile.read_text(), source=str(keyfile))
    return keyfile


def test_a_process_reads_values_written_under_a_key_rotated_by_another(
    identity_table, key_file_ring
):
    # given this process has read the key file, then another process rotates it and writes
    from ctip.core.crypto import encrypt

    before = IdentityNote.objects.create(full_name="Before")
    rotated = parse_keyring(key_file_ring.read_text(), source=str(key_file_ring)).with_new_key()
    write_keyring(rotated, key_file_ring)
    sealed = encrypt("Written elsewhere", context="core.identitynote.full_name", ring=rotated)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_identitynote (full_name, name_index) VALUES (%s, '')", [sealed]
        )
    # when this process reads it at once (before its periodic look at the file)
    names = sorted(n.full_name for n in IdentityNote.objects.all())
    # then it re-reads the key file instead of failing, and writes under the new key
    assert names == ["Before", "Written elsewhere"]
    after = IdentityNote.objects.create(full_name="After")
    assert key_id_of(raw_value(after.pk)) == rotated.current
    assert key_id_of(raw_value(before.pk)) == "test-1"


def test_rotation_under_concurrent_writes_loses_nothing(identity_table, key_file_ring):
    import threading
    import time

    from django.db import OperationalError
    from django.db import connection as thread_connection

    written: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer() -> None:
        n = 0
        try:
            while not stop.is_set():
                name = f"Writer {n} — كاتب {n}"
                try:
                    note = IdentityNote.objects.create(full_name=name)
                except OperationalError:  # SQLite's table lock while a pass commits: retry
                    time.sleep(0.01)
                    continue
                written.append((note.pk, name))
                # and reads what was written so far, as pages do meanwhile
                pk, name = written[len(written) // 2]
                assert IdentityNote.objects.get(pk=pk).full_name == name
                n += 1
                time.sleep(0.005)
        except BaseException as error:
            errors.append(error)
        finally:
            thread_connection.close()

    for n in range(50):
        IdentityNote.objects.create(full_name=f"Old {n}")
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.3)
        call_command("rotate_keys")
        time.sleep(0.3)
    finally:
        stop.set()
        thread.join(timeout=30)
    ring = parse_keyring(key_file_ring.read_text(), source=str(key_file_ring))
    assert errors == []
    assert len(written) > 10
    # every value written before, during and after is there and readable
    stored = {note.pk: note.full_name for note in IdentityNote.objects.all()}
    assert all(stored[pk] == name for pk, name in written)
    assert len(stored) == 50 + len(written)
    # and every one is under the new key
    assert {key_id_of(raw_value(pk)) for pk in stored} == {ring.current}
