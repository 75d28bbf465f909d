import csv
import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ctip.core.fresh_database import reference_data_missing
from ctip.core.management.commands._base import (
    CtipCommand,
    command_label,
    entity_named,
    existing_file,
)
from ctip.statistics import selectors
from ctip.statistics.importing import import_file
from ctip.statistics.layouts import LAYOUT_NAMES
from ctip.tabular import ENCODINGS


class Command(CtipCommand):
    help = (
        "Import victim records or GLOTIP table rows from CSV or XLSX into a round. "
        "Exits 0 on success; otherwise prints every bad row and writes nothing."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--entity", required=True)
        parser.add_argument("--round", type=int, required=True, dest="year")
        parser.add_argument("--format", choices=LAYOUT_NAMES, default=None)
        parser.add_argument(
            "--country", default=None, help="country of detection for rows that lack one (CTDC)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count as the real run, write nothing"
        )
        parser.add_argument(
            "--encoding", choices=ENCODINGS, default="", help="when the file is not UTF-8"
        )
        parser.add_argument("--errors-csv", default="", help="also write the error report here")

    def handle(
        self,
        *args,
        file,
        entity,
        year,
        format,
        country,
        dry_run,
        encoding,
        errors_csv,  # type: ignore[no-untyped-def]
        **options,
    ):
        if reference_data_missing():
            raise CommandError(
                _("The countries and regions are not loaded: run ctip load_reference_data.")
            )
        found = entity_named(entity)
        round_ = selectors.rounds().filter(year=year).first()
        if round_ is None:
            raise CommandError(f"No {year} round: open it with ctip open_round {year}.")
        path = existing_file(file)

        def progress(done: int, message: str) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(message)

        with path.open("rb") as data:  # read a chunk at a time, never whole
            result = import_file(
                actor=None,
                actor_label=command_label("import_records"),
                entity=found,
                round_=round_,
                data=data,
                filename=path.name,
                layout_name=format,
                dry_run=dry_run,
                default_country=country.upper() if country else None,
                progress=progress,
                encoding=encoding,
            )
        if errors_csv and result.errors:
            with open(errors_csv, "w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, ["row", "column", "value", "expected"])
                writer.writeheader()
                writer.writerows(e.as_dict() for e in result.errors)
        if not result.ok:
            self.stderr.write(
                f"Import refused ({result.layout or 'unknown layout'}, "
                f"{result.rows} rows): nothing was written."
            )
            if result.file_problem:
                self.stderr.write(result.file_problem)
            for error in result.errors:
                self.stderr.write(
                    f"row {error.row}, column {error.column}: "
                    f"{error.value!r} — expected {error.expected}"
                )
            if result.error_count > len(result.errors):
                self.stderr.write(f"… and {result.error_count - len(result.errors)} more errors")
            sys.exit(1)
        verb = "Checked (dry run, nothing written)" if dry_run else "Imported"
        self.stdout.write(
            f"{verb}: {result.rows} rows in layout {result.layout}; "
            f"{result.created} created, {result.updated} updated; "
            f"rounds {', '.join(map(str, result.rounds)) or '-'}; "
            f"submissions {', '.join(result.submissions) or '-'}"
        )
