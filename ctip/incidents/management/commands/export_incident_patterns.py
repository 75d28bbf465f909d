import datetime
from pathlib import Path

from django.core.management.base import CommandError

from ctip.core.exports import csv_bytes
from ctip.core.management.commands._base import CtipCommand
from ctip.incidents import patterns
from ctip.incidents.models import Incident


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date such as 2024-03-31.") from None


class Command(CtipCommand):
    help = (
        "Write verified incidents and victims per party, violation and year, of every entity, "
        "to a CSV with the columns " + ", ".join(patterns.PATTERN_COLUMNS) + ". Only verified "
        "incidents are counted; an incident with several violations counts under each."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--from", dest="date_from", required=True)
        parser.add_argument("--to", dest="date_to", required=True)
        parser.add_argument("out")

    def handle(self, *args, date_from, date_to, out, **options):  # type: ignore[no-untyped-def]
        start, end = _date(date_from), _date(date_to)
        if end < start:
            raise CommandError("--to comes before --from.")
        rows = patterns.pattern_rows(Incident.objects.all(), start, end)
        Path(out).write_bytes(
            csv_bytes(patterns.PATTERN_COLUMNS, (r.as_list() for r in rows), bom=False)
        )
        self.stdout.write(f"{len(rows)} rows written to {out} (verified incidents only).")
