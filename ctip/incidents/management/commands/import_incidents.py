from ctip.core.management.commands._base import (
    CtipCommand,
    command_label,
    entity_named,
    existing_file,
)
from ctip.incidents import xlsform
from ctip.incidents.services import COLUMNS, MAX_INCIDENT_ROWS, OPTIONAL, incidents_import
from ctip.tabular import ENCODINGS, FileProblem, read_dicts


class Command(CtipCommand):
    help = (
        "Import incidents from a CSV or XLSX with the columns "
        + ", ".join(COLUMNS)
        + " (optional: "
        + ", ".join(OPTIONAL)
        + "), or from a KoBoToolbox / ODK Central export of CTIP's incident form. All rows "
        "or none; an incident_id imported before is skipped."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--entity", required=True)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--create-parties",
            action="store_true",
            help="add a party the situation's register does not know, instead of refusing",
        )
        parser.add_argument(
            "--encoding", choices=ENCODINGS, default="", help="when the file is not UTF-8"
        )

    def handle(self, *args, file, entity, dry_run, create_parties, encoding, **options):  # type: ignore[no-untyped-def]
        found = entity_named(entity)
        path = existing_file(file)
        try:
            rows = read_dicts(path.read_bytes(), path.name, MAX_INCIDENT_ROWS, encoding)
            if xlsform.is_field_export(rows):
                rows = xlsform.template_rows(rows)
        except FileProblem as problem:
            self.refuse(str(problem))
        report = incidents_import(
            entity=found,
            rows=rows,
            dry_run=dry_run,
            create_parties=create_parties,
            actor_label=command_label("import_incidents"),
        )
        if report.errors:
            self.refuse(rows=report.errors)
        prefix = "Dry run, nothing written: " if dry_run else ""
        parties = (
            f" Parties added to the register: {', '.join(report.parties_created)}."
            if report.parties_created
            else ""
        )
        self.stdout.write(
            f"{prefix}{report.created} incidents imported, {report.already} already there."
            + parties
        )
