import csv
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ctip.core.management.commands._base import CtipCommand, command_label
from ctip.statistics import duplicates, selectors


class Command(CtipCommand):
    help = (
        "Write a round's clusters of duplicates (proposed and confirmed; rejected ones are "
        "not duplicates) as CSV, one row per record: cluster_id, entity, record_id, "
        "match_probability. No identity: record ids and entity codes only."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--round", type=int, required=True, dest="year")
        parser.add_argument("output")

    def handle(self, *args: Any, year: int, output: str, **options: Any) -> None:
        round_ = selectors.rounds().filter(year=year).first()
        if round_ is None:
            raise CommandError(_("No %(year)s round.") % {"year": year})
        rows = duplicates.duplicates_export(
            actor=None, round_=round_, actor_label=command_label("export_duplicates")
        )
        with Path(output).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(duplicates.DUPLICATE_EXPORT_COLUMNS)
            writer.writerows(rows)
        self.stdout.write(
            _("Wrote %(n)s records of the %(year)s round's clusters to %(out)s.")
            % {"n": len(rows), "year": year, "out": output}
        )
