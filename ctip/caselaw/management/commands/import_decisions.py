import sys

from django.core.management.base import CommandError

from ctip.caselaw.exports import ImportProblem, import_rows
from ctip.caselaw.services import decisions_import
from ctip.core.management.commands._base import (
    CtipCommand,
    command_label,
    entity_named,
    existing_file,
)
from ctip.tabular import ENCODINGS


class Command(CtipCommand):
    help = (
        "Import court decisions from JSON or CSV (the export's columns) for an entity; rows "
        "with the decision_uuid of one of its decisions update it. "
        "All or none: every bad row is printed and nothing is written."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--entity", required=True)
        parser.add_argument(
            "--publish", action="store_true", help="publish at once (reviewed elsewhere)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check, write nothing")
        parser.add_argument(
            "--encoding", choices=ENCODINGS, default="", help="when the file is not UTF-8"
        )

    def handle(self, *args, file, entity, publish, dry_run, encoding, **options):  # type: ignore[no-untyped-def]
        found = entity_named(entity)
        path = existing_file(file)
        try:
            rows = import_rows(path.read_bytes(), path.name, encoding)
        except ImportProblem as problem:
            raise CommandError(str(problem)) from None
        created, errors = decisions_import(
            actor=None,
            entity=found,
            rows=rows,
            publish=publish,
            actor_label=command_label("import_decisions"),
            dry_run=dry_run,
        )
        if errors:
            for e in errors:
                self.stderr.write(
                    f"row {e['row']}, column {e['column']}: {e['value']!r} — {e['expected']}"
                )
            self.stderr.write("Nothing was written.")
            sys.exit(1)
        prefix = "Dry run, nothing written: would have imported" if dry_run else "Imported"
        self.stdout.write(
            f"{prefix} {created} new decisions for {found.code}; {len(rows) - created} rows "
            "matched decisions already here by decision_uuid (updated, or left as they were)."
        )
