import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctip.core import crypto
from ctip.core.keys import reencrypt_all
from ctip.keyfile import write_keyring

MAX_PASSES = 5


class Command(BaseCommand):
    help = (
        "Add a new encryption key (and audit key) to the key file, make them current, and "
        "re-encrypt every encrypted value under the new key. Safe while the web server and "
        "workers run: they pick up the new key file within a second, and values written "
        "meanwhile under the old key are moved by a further pass. With --reencrypt-only, "
        "re-encrypt under the current key (when keys come from CTIP_ENCRYPTION_KEYS and you "
        "changed 'current' yourself)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--reencrypt-only", action="store_true")

    def handle(self, *args, reencrypt_only, **options):  # type: ignore[no-untyped-def]
        ring = crypto.keyring(refresh=True)
        if not reencrypt_only:
            if not ring.source or ring.source == "env":
                raise CommandError(
                    "Keys do not come from a key file: add a key to "
                    "CTIP_ENCRYPTION_KEYS, make it current, then run "
                    "ctip rotate_keys --reencrypt-only."
                )
            ring = ring.with_new_key()
            # The file first: if the database step fails, both keys are still on disk. Then
            # wait until every running process has re-read it, so that none encrypts under
            # the old key after the passes below.
            write_keyring(ring, Path(ring.source))
            time.sleep(crypto.KEYRING_RELOAD_SECONDS * 2)
        total, passes = 0, 0
        for passes in range(1, MAX_PASSES + 1):  # noqa: B007 - reported below
            counts = reencrypt_all(ring=ring)
            moved = sum(counts.values())
            total += moved
            self._report(counts)
            if moved == 0:
                break
        self.stdout.write(
            f"Current key {ring.current}, audit key {ring.audit_current}; "
            f"re-encrypted {total} values in {passes} passes."
        )

    def _report(self, counts: dict[str, int]) -> None:
        for column, count in sorted(counts.items()):
            if count:
                self.stdout.write(f"  {column}: {count}")
