from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctip.keyfile import new_keyring, write_keyring


class Command(BaseCommand):
    help = "Write a new key file (encryption key and blind-index key). Refuses to overwrite."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path")

    def handle(self, *args, path, **options):  # type: ignore[no-untyped-def]
        target = Path(path)
        if target.exists():
            raise CommandError(
                f"{target} exists: losing its keys would lose the data they protect."
            )
        write_keyring(new_keyring(), target)
        self.stdout.write(
            f"Wrote {target} (mode 600). Keep a copy apart from database backups; "
            f"point CTIP_KEY_FILE at it."
        )
