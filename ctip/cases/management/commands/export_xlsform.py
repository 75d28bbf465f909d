from pathlib import Path

from django.core.management.base import CommandError

from ctip.cases.xlsform import public_key_value, workbook_bytes
from ctip.core.management.commands._base import CtipCommand


class Command(CtipCommand):
    help = (
        "Write the screening as an XLSForm (labels in the six UN languages, code lists as "
        "choices, skip logic) for KoBoToolbox or ODK Collect. With --public-key, the form "
        "carries the key in its settings and every submission is encrypted on the device."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("form", choices=["screening"])
        parser.add_argument("out")
        parser.add_argument(
            "--public-key",
            default="",
            metavar="FILE",
            help="RSA public key (PEM) whose private half decrypts the submissions",
        )

    def handle(self, *args, form, out, public_key, **options):  # type: ignore[no-untyped-def]
        key = ""
        if public_key:
            path = Path(public_key)
            if not path.is_file():
                raise CommandError(f"No file {public_key!r}.")
            try:
                key = public_key_value(path.read_bytes())
            except ValueError as error:
                raise CommandError(str(error)) from None
        Path(out).write_bytes(workbook_bytes(key))
        encrypted = " (submissions encrypted with the given key)" if key else ""
        self.stdout.write(f"Wrote the {form} XLSForm to {out}{encrypted}.")
