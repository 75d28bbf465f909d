from ctip.core.management.commands._base import CtipCommand, command_label, entity_named
from ctip.countries.management.commands.import_treaty_status import (
    add_encoding_argument,
    print_report,
    read_file,
)
from ctip.countries.services import responses_import


class Command(CtipCommand):
    help = (
        "Create or correct national response entries (country, year, criminalization, "
        "measures…) from CSV, XLSX or JSON for an entity. All or none."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--entity", required=True)
        parser.add_argument("--dry-run", action="store_true")
        add_encoding_argument(parser)

    def handle(self, *args, file, entity, dry_run, encoding, **options):  # type: ignore[no-untyped-def]
        found = entity_named(entity)
        report = responses_import(
            actor=None,
            entity=found,
            rows=read_file(file, encoding),
            dry_run=dry_run,
            actor_label=command_label("import_national_response"),
        )
        print_report(self, report, "national response")
