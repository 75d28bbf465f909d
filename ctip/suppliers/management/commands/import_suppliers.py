from ctip.core.management.commands._base import (
    CtipCommand,
    command_label,
    entity_named,
    existing_file,
)
from ctip.suppliers.services import COLUMNS, MAX_SUPPLIER_ROWS, OPTIONAL, suppliers_import
from ctip.tabular import ENCODINGS, FileProblem, read_dicts


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
        path = existing_file(file)
        try:
            rows = read_dicts(path.read_bytes(), path.name, MAX_SUPPLIER_ROWS, encoding)
        except FileProblem as problem:
            self.refuse(str(problem))
        report = suppliers_import(
            entity=found, rows=rows, dry_run=dry_run, actor_label=command_label("import_suppliers")
        )
        if report.errors:
            self.refuse(rows=report.errors)
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(f"{prefix}{report.created} suppliers added, {report.updated} updated.")
