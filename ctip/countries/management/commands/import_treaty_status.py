import sys
from pathlib import Path

from django.core.management.base import CommandError

from ctip.core.management.commands._base import CtipCommand, command_label, existing_file
from ctip.countries.codes import INSTRUMENTS_BY_CODE
from ctip.countries.services import MAX_ROWS, ImportReport, treaty_status_import
from ctip.tabular import ENCODINGS, FileProblem, read_dicts


def print_report(command: CtipCommand, report: ImportReport, what: str) -> None:
    """Errors to stderr and exit 1, or the counts to stdout."""
    if report.errors:
        for e in report.errors:
            command.stderr.write(
                f"row {e['row']}, column {e['column']}: {e['value']!r} — {e['expected']}"
            )
        command.stderr.write("Nothing was written.")
        sys.exit(1)
    prefix = "Dry run, nothing written: " if report.dry_run else ""
    command.stdout.write(
        f"{prefix}{what}: {report.created} new, {report.changed} changed, "
        f"{report.removed} removed, {report.unchanged} unchanged."
    )


def add_encoding_argument(parser) -> None:  # type: ignore[no-untyped-def]
    parser.add_argument(
        "--encoding", choices=ENCODINGS, default="", help="when the file is not UTF-8"
    )


def read_file(file: str, encoding: str = "") -> list[tuple[int, dict[str, str]]]:
    path = existing_file(file)
    try:
        return read_dicts(path.read_bytes(), path.name, MAX_ROWS, encoding)
    except FileProblem as problem:
        raise CommandError(str(problem)) from None


class Command(CtipCommand):
    help = (
        "Replace an instrument's status table from a CSV, XLSX or JSON file in the shape of the "
        "UN Treaty Collection's status table (Participant, Signature, Ratification, "
        "Accession(a), Succession(d)). All or none: every bad row is printed, nothing written."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--instrument", required=True, choices=sorted(INSTRUMENTS_BY_CODE))
        parser.add_argument("--source", default="", help="where the table comes from, and when")
        parser.add_argument("--dry-run", action="store_true")
        add_encoding_argument(parser)

    def handle(self, *args, file, instrument, source, dry_run, encoding, **options):  # type: ignore[no-untyped-def]
        report = treaty_status_import(
            actor=None,
            instrument=instrument,
            rows=read_file(file, encoding),
            source=source or f"{Path(file).name} (imported from the command line)",
            dry_run=dry_run,
            actor_label=command_label("import_treaty_status"),
        )
        print_report(self, report, instrument)
