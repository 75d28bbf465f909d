"""Backups taken while CTIP runs, and their restore into an empty database.

A backup holds the database only: identities stay encrypted in it, and the key file is never
written into it. Keep the key file elsewhere (docs/deploy.md, "Backups"): a backup without
its keys cannot be read, which is the point when a backup is lost, and the keys without a
backup protect nothing. SQLite is copied with its online backup API (a consistent snapshot
while the web server and the worker write); PostgreSQL with `pg_dump --format=custom`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from ctip.core.audit import AuditAction, ChainReport, audit_record, audit_verify
from ctip.core.keys import DecryptReport, decrypt_check
from ctip.core.models import Backup

SQLITE_MAGIC = b"SQLite format 3\x00"
SESSIONS = "django_session"  # left out of every backup: a live session is a login
LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done, with what to do about it."""


@dataclass
class RestoreReport:
    vendor: str
    chain: ChainReport
    identities: DecryptReport

    @property
    def intact(self) -> bool:
        return self.chain.intact and self.identities.intact


def backup(out: Path, *, actor_label: str) -> Backup:
    """Write a consistent copy of the database to `out` (readable by its owner only), then
    record it and audit it. A half-written copy is never left under the final name."""
    if not out.parent.is_dir():
        raise BackupError(f"Cannot write {out}: there is no folder {out.parent}.")
    partial = out.with_name(out.name + ".partial")
    started = time.monotonic()
    try:
        _create_private(partial)
        if connection.vendor == "sqlite":
            _sqlite_backup(partial)
        elif connection.vendor == "postgresql":
            _pg_run(
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--exclude-table-data={SESSIONS}",
                f"--file={partial}",
            )
        else:
            raise BackupError(f"CTIP cannot back up a {connection.vendor} database.")
        os.replace(partial, out)
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or error
        raise BackupError(f"Cannot write {out}: {reason}.") from error
    finally:
        partial.unlink(missing_ok=True)
    record = Backup.objects.create(
        vendor=connection.vendor,
        location=str(out.resolve())[:500],
        size_bytes=out.stat().st_size,
        sha256=_sha256(out),
    )
    audit_record(
        actor=None,
        actor_label=actor_label,
        action=AuditAction.BACKUP_MADE,
        target=record,
        details={
            "bytes": record.size_bytes,
            "sha256": record.sha256,
            "seconds": round(time.monotonic() - started, 1),
        },
    )
    return record


def restore(source: Path) -> None:
    """Copy a backup into the configured database, which must be empty: a restore never
    merges into or overwrites data that is there."""
    kind = backup_kind(source)
    if kind != connection.vendor:
        raise BackupError(
            f"{source} is a {kind} backup, but CTIP_DATABASE_URL points to a "
            f"{connection.vendor} database."
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables). Restore into a new, empty "
            "database and point CTIP_DATABASE_URL at it."
        )
    if kind == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as copy:
            held = {name for (name,) in copy.execute("SELECT name FROM sqlite_master")}
            if not {"django_migrations", "core_auditevent"} <= held:
                raise BackupError(f"{source} is a SQLite database, but not a CTIP backup.")
            copy.backup(connection.connection)
    else:
        connection.close()  # pg_restore needs no session of ours in the way
        _pg_run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",  # all restored or nothing, so a retry finds it empty
            str(source.resolve()),
        )


def verify_restored(*, actor_label: str) -> RestoreReport:
    """Walk the audit chain and decrypt every identity, with the keys in place; audit the
    restore only when both hold."""
    report = RestoreReport(connection.vendor, audit_verify(), decrypt_check())
    if report.intact:
        audit_record(
            actor=None,
            actor_label=actor_label,
            action=AuditAction.BACKUP_RESTORED,
            details={"events": report.chain.events_checked, "values": report.identities.checked},
        )
    return report


def backup_kind(source: Path) -> str:
    """'sqlite' or 'postgresql', from the file's first bytes, not its name."""
    try:
        with source.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"Cannot read {source}: {error.strerror or error}.") from error
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{source} is not a CTIP backup (neither SQLite nor pg_dump's format).")


def _create_private(partial: Path) -> None:
    """An empty file only its owner can read, made new (never a file or a link someone left
    there): the backup is written into it, so it is never readable by others, not even
    while it is being written."""
    partial.unlink(missing_ok=True)
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    os.close(os.open(partial, flags, 0o600))


def _sqlite_backup(partial: Path) -> None:
    """SQLite's online backup, then the sessions wiped from the copy (a session past its
    second factor is a login; secure_delete overwrites them rather than freeing them)."""
    connection.ensure_connection()
    with closing(sqlite3.connect(partial)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA secure_delete = ON")
        copy.execute(f"DELETE FROM {SESSIONS}")  # noqa: S608 - a constant
        copy.commit()


def _pg_run(program: str, *args: str | Path) -> None:
    """Run pg_dump or pg_restore against the configured database; its own message on error.
    The password goes through the environment, never the command line."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is not installed (Debian: apt-get install postgresql-client)."
        )
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    for option, variable in LIBPQ_ENVIRONMENT.items():  # TLS as the application connects
        if db.get("OPTIONS", {}).get(option):
            env[variable] = str(db["OPTIONS"][option])
    given = {"host": db.get("HOST"), "port": db.get("PORT"), "username": db.get("USER")}
    target = [f"--{name}={value}" for name, value in given.items() if value]
    target.append(f"--dbname={db['NAME']}")  # empty host: the Unix socket, as Django does
    arguments = [str(a) for a in args]
    done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings and the operator
        [executable, *target, *arguments], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip() or done.returncode}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
