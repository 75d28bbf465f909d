from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ctip.core.keys import reencrypt_all
from ctip.keyfile import write_keyring


class Command(BaseCommand):
    help = (
        "Add a new encryption key to the key file, make it current, and re-encrypt every "
        "encrypted value under it. With --reencrypt-only, re-encrypt under the current key "
        "(when keys come from CTIP_ENCRYPTION_KEYS and you changed 'current' yourself)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--reencrypt-only", action="store_true")

    def handle(self, *args, reencrypt_only, **options):  # type: ignore[no-untyped-def]
        ring = settings.CTIP_KEYRING
        if not reencrypt_only:
            if not ring.source or ring.source == "env":
                raise CommandError(
                    "Keys do not come from a key file: add a key to "
                    "CTIP_ENCRYPTION_KEYS, make it current, then run "
                    "ctip rotate_keys --reencrypt-only."
                )
            ring = ring.with_new_key()
            # The file first: if the database step fails, both keys are still on disk.
            write_keyring(ring, Path(ring.source))
            settings.CTIP_KEYRING = ring
        counts = reencrypt_all(ring=ring)
        total = sum(counts.values())
        self.stdout.write(f"Current key {ring.current}; re-encrypted {total} values.")
        for column, count in sorted(counts.items()):
            self.stdout.write(f"  {column}: {count}")
