import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ctip.core.backup import BackupError, restore, verify_restored
from ctip.core.management.commands._base import command_label, existing_file


class Command(BaseCommand):
    help = (
        "Restore a backup made by `ctip backup` into the configured database, which must be "
        "empty; then bring it to this version's schema, walk the audit chain and decrypt "
        "every identity with the key file in place. Exit 1 if either check fails."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("source", metavar="IN")

    def handle(self, *args, source, **options):  # type: ignore[no-untyped-def]
        path: Path = existing_file(source)
        try:
            restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        call_command("migrate", interactive=False, verbosity=0)
        report = verify_restored(actor_label=command_label("restore"))
        chain, values = report.chain, report.identities
        self.stdout.write(f"Restored {path} into the {report.vendor} database.")
        if chain.intact:
            self.stdout.write(f"Audit chain intact: {chain.events_checked} events checked.")
        else:
            self.stderr.write(
                f"Audit chain BROKEN at event {chain.first_bad_sequence}: {chain.problem}."
            )
        if values.intact:
            self.stdout.write(f"Encrypted values: all {values.checked} decrypt.")
        else:
            failed = ", ".join(f"{c}: {n}" for c, n in sorted(values.failed.items()))
            self.stderr.write(f"Encrypted values that do not decrypt: {failed}.")
            if values.missing_keys:
                self.stderr.write(
                    "The key file lacks the key(s) "
                    + ", ".join(sorted(values.missing_keys))
                    + ": use the key file kept with this backup's period (CTIP_KEY_FILE)."
                )
        if not report.intact:
            sys.exit(1)
