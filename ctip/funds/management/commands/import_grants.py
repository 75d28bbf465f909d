from django.core.management.base import CommandError

from ctip.core.management.commands._base import CtipCommand, command_label
from ctip.funds.models import Fund
from ctip.funds.services import COLUMNS, MAX_GRANT_ROWS, grants_import
from ctip.tabular import ENCODINGS


def fund_named(code: str) -> Fund:
    found = Fund.objects.filter(code=code.upper()).first()
    if found is None:
        raise CommandError(f"No fund {code!r}.")
    return found


class Command(CtipCommand):
    help = (
        "Import a trust fund's grants from a CSV or XLSX with the columns "
        + ", ".join(COLUMNS)
        + " (country ISO 3166 alpha-3, currency ISO 4217, dates YYYY-MM-DD). All rows or "
        "none; a grant_id imported before is updated when a value differs, else left alone."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--fund", required=True)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--encoding", choices=ENCODINGS, default="", help="when the file is not UTF-8"
        )

    def handle(self, *args, file, fund, dry_run, encoding, **options):  # type: ignore[no-untyped-def]
        found = fund_named(fund)
        rows = self.rows_of(file, MAX_GRANT_ROWS, encoding)
        report = grants_import(
            fund=found, rows=rows, dry_run=dry_run, actor_label=command_label("import_grants")
        )
        if report.errors:
            self.refuse(rows=report.errors)
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.created} grants added, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
