"""`ctip backup` and `ctip restore`: a backup taken from the live database restores into an
empty one, where the audit chain verifies and every identity decrypts, and only there."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import TEST_KEYRING
from ctip.cases.tests.builders import a_case
from ctip.core.audit import AuditAction
from ctip.core.backup import BackupError, backup, backup_kind
from ctip.core.codes import Role
from ctip.core.models import AuditEvent, Backup
from ctip.core.testing import database_url, process_env, signed_in_client

pytestmark = pytest.mark.django_db(transaction=True)

OTHER_KEYRING = json.dumps(
    {
        "current": "other-1",
        "keys": {"other-1": "b3RoZXIta2V5LTAwMDAwMDAwMDAwMDAwMDAwMDAwMDA="},
        "blind_index_key": "dGVzdC1ibGluZC1pbmRleC1rZXktMDAwMDAwMDAwMDA=",
    }
)


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"ctip_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ctip(*args: str, url: str, keyring: str = TEST_KEYRING) -> subprocess.CompletedProcess:
    """Run a ctip command as an operator would, in its own process and database."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", *args],
        env=process_env(url, keyring),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_backup_restores_with_its_chain_and_identities(
    reference_data, actors, tmp_path, empty_database
):
    worker = actors.by_role[Role.CASEWORKER]
    a_case(worker)
    a_case(worker, names="Second Person")
    signed_in_client(worker)  # a live session, past its second factor: a login
    out = tmp_path / "ctip.backup"

    record = backup(out, actor_label="test")

    assert out.stat().st_mode & 0o777 == 0o600
    assert backup_kind(out) == connection.vendor
    assert Backup.objects.get() == record and record.size_bytes == out.stat().st_size
    assert AuditEvent.objects.filter(action=AuditAction.BACKUP_MADE).count() == 1
    assert not (tmp_path / "ctip.backup.partial").exists()
    assert b"Amina" not in out.read_bytes()  # identities stay encrypted in a backup
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(out)) as copy:
            assert copy.execute("SELECT COUNT(*) FROM django_session").fetchone() == (0,)

    done = ctip("restore", str(out), url=empty_database)

    assert done.returncode == 0, done.stderr
    assert "Audit chain intact" in done.stdout
    assert "Encrypted values: all" in done.stdout and " 0 decrypt" not in done.stdout
    again = ctip("restore", str(out), url=empty_database)
    assert again.returncode == 1
    assert "not empty" in again.stderr  # a restore never overwrites a database in use


def test_a_restore_without_the_right_keys_says_which_key(
    reference_data, actors, tmp_path, empty_database
):
    a_case(actors.by_role[Role.CASEWORKER])
    out = tmp_path / "ctip.backup"
    backup(out, actor_label="test")

    done = ctip("restore", str(out), url=empty_database, keyring=OTHER_KEYRING)

    assert done.returncode == 1
    assert "test-1" in done.stderr  # the key the backup needs, named
    assert "Traceback" not in done.stderr


def test_restore_refuses_what_is_not_a_backup(db, tmp_path):
    stray = tmp_path / "notes.txt"
    stray.write_text("not a database")
    with pytest.raises(BackupError, match="not a CTIP backup"):
        backup_kind(stray)
    with pytest.raises(Exception, match="not a CTIP backup"):
        call_command("restore", str(stray))


def test_backup_into_a_missing_folder_is_a_clear_error(db, tmp_path):
    with pytest.raises(BackupError, match="Cannot write"):
        backup(tmp_path / "no" / "such" / "folder" / "ctip.backup", actor_label="test")
    assert not Backup.objects.exists()


def test_backup_command_reminds_where_the_keys_are(db, tmp_path, capsys):
    call_command("backup", str(tmp_path / "b.backup"))
    said = capsys.readouterr().out
    assert "The keys are not in it" in said


def test_backups_name_the_kind_by_content(tmp_path):
    renamed = tmp_path / "backup.dump"
    renamed.write_bytes(b"SQLite format 3\x00" + bytes(100))
    assert backup_kind(renamed) == "sqlite"
    dumped = tmp_path / "backup.sqlite3"
    dumped.write_bytes(b"PGDMP\x01\x0e" + bytes(100))
    assert backup_kind(dumped) == "postgresql"
