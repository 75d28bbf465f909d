from ctip.cases.field_exports import as_form_rows
from ctip.cases.services import MAX_SCREENING_ROWS, screenings_import
from ctip.core.management.commands._base import (
    CtipCommand,
    command_label,
    entity_named,
    existing_file,
)
from ctip.tabular import ENCODINGS, FileProblem, read_dicts


class Command(CtipCommand):
    help = (
        "Import screenings from a KoBoToolbox or ODK Central export of CTIP's XLSForm, as it "
        "comes: CSV (KoBo's “;” export, labels or XML names as headers; Central's CSV), XLSX, "
        "KoBo's API JSON or Central's OData JSON. All rows or none; a submission imported "
        "before (same instance id) is skipped."
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
            rows = as_form_rows(
                read_dicts(path.read_bytes(), path.name, MAX_SCREENING_ROWS, encoding)
            )
        except FileProblem as problem:
            self.refuse(str(problem))
        report = screenings_import(
            entity=found,
            rows=rows,
            dry_run=dry_run,
            actor_label=command_label("import_screenings"),
        )
        if report.errors:
            self.refuse(rows=report.errors)
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.created} screenings imported, {report.already} already there."
        )
