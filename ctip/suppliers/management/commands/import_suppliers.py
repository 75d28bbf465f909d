from ctip.core.management.commands._base import (
    CtipCommand,
    command_label,
    entity_named,
)
from ctip.suppliers.services import COLUMNS, MAX_SUPPLIER_ROWS, OPTIONAL, suppliers_import
from ctip.tabular import ENCODINGS


class Command(CtipCommand):
    help = (
        "Import suppliers from the procurement system: a CSV or XLSX with the columns "
        + ", ".join(COLUMNS)
        + " (optional: "
        + ", ".join(OPTIONAL)
        + "). All rows or none; a UNGM number in the register is updated; statuses are never "
        "imported."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--entity", required=True)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--encoding", choices=ENCODINGS, default="", help="when the file is not UTF-8"
        )

    def handle(self, *args, file, entity, dry_run, encoding, **options):  # type: ignore[no-untyped-def]
        found = entity_named(entity)
        rows = self.rows_of(file, MAX_SUPPLIER_ROWS, encoding)
        report = suppliers_import(
            entity=found, rows=rows, dry_run=dry_run, actor_label=command_label("import_suppliers")
        )
        if report.errors:
            self.refuse(rows=report.errors)
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(f"{prefix}{report.created} suppliers added, {report.updated} updated.")
