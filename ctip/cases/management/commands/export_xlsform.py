from pathlib import Path

from ctip.cases.xlsform import workbook_bytes
from ctip.core.management.commands._base import CtipCommand


class Command(CtipCommand):
    help = (
        "Write the screening as an XLSForm (labels in the six UN languages, code lists as "
        "choices, skip logic) for KoBoToolbox or ODK Collect."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("form", choices=["screening"])
        parser.add_argument("out")

    def handle(self, *args, form, out, **options):  # type: ignore[no-untyped-def]
        Path(out).write_bytes(workbook_bytes())
        self.stdout.write(f"Wrote the {form} XLSForm to {out}.")
