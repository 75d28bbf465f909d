import sys

from django.core.management.base import CommandError

from ctip.cases.services import screenings_import
from ctip.cases.xlsform import field_name
from ctip.core.management.commands._base import CtipCommand, command_label
from ctip.core.models import Entity
from ctip.countries.management.commands.import_treaty_status import read_file


class Command(CtipCommand):
    help = (
        "Import screenings from a KoBoToolbox or ODK export (CSV or XLSX) of CTIP's XLSForm. "
        "All rows or none; a submission imported before (same instance id) is skipped."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--entity", required=True)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, file, entity, dry_run, **options):  # type: ignore[no-untyped-def]
        found = Entity.objects.filter(code=entity.upper()).first()
        if found is None:
            raise CommandError(f"No entity {entity!r}.")
        rows = [
            (number, {field_name(k): v for k, v in row.items()}) for number, row in read_file(file)
        ]
        report = screenings_import(
            entity=found,
            rows=rows,
            dry_run=dry_run,
            actor_label=command_label("import_screenings"),
        )
        if report.errors:
            for e in report.errors:
                self.stderr.write(
                    f"row {e['row']}, column {e['column']}: {e['value']!r} — {e['expected']}"
                )
            self.stderr.write("Nothing was written.")
            sys.exit(1)
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.created} screenings imported, {report.already} already there."
        )
