from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctip.core import crypto
from ctip.core.backup import BackupError, backup
from ctip.core.management.commands._base import command_label


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to OUT while CTIP runs (SQLite's online "
        "backup; pg_dump on PostgreSQL). The key file is never in it: back it up on its own, "
        "somewhere else (docs/deploy.md)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("out", metavar="OUT")

    def handle(self, *args, out, **options):  # type: ignore[no-untyped-def]
        path = Path(out)
        if path.is_dir():
            raise CommandError(f"{out} is a folder: name the backup file.")
        try:
            record = backup(path, actor_label=command_label("backup"))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the {record.vendor} database to {path} "
            f"({record.size_bytes} bytes, sha256 {record.sha256})."
        )
        ring = crypto.keyring()
        if ring.is_development:
            self.stdout.write(
                "The keys are not in it. These are the public development keys: never use "
                "them for real data."
            )
            return
        source = "CTIP_ENCRYPTION_KEYS" if ring.source in ("", "env") else ring.source
        self.stdout.write(
            f"The keys are not in it. Keep a copy of {source} apart from this backup: "
            "without it nothing encrypted in the backup can be read."
        )
