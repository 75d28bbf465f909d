from pathlib import Path

from ctip.core.exports import csv_bytes
from ctip.core.management.commands._base import CtipCommand, command_label
from ctip.funds.management.commands.import_grants import fund_named
from ctip.funds.services import COLUMNS, export_rows, grants_exported


class Command(CtipCommand):
    help = (
        "Write a fund's grants to a CSV with the columns " + ", ".join(COLUMNS) + ": the "
        "import's own columns, so that importing the file back changes nothing."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--fund", required=True)
        parser.add_argument("out")

    def handle(self, *args, fund, out, **options):  # type: ignore[no-untyped-def]
        found = fund_named(fund)
        rows = export_rows(found)
        data = csv_bytes(COLUMNS, rows)
        # audited first: no file of grantees' names exists without its audit event
        grants_exported(fund=found, rows=len(rows), actor_label=command_label("export_grants"))
        Path(out).write_bytes(data)
        self.stdout.write(f"{len(rows)} grants written to {out}.")
