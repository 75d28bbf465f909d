from pathlib import Path

from django.core.management.base import CommandError
from django.http import Http404

from ctip.core.management.commands._base import CtipCommand, command_label
from ctip.statistics import selectors
from ctip.statistics.exports import WRITERS, export_statistics
from ctip.statistics.sdmx import dsd_xml


class Command(CtipCommand):
    help = (
        "Export a round's statistics: ctip export_statistics --round YEAR "
        "--format csv|xlsx|sdmx-csv|hxl|unodc [--public] OUT"
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("out")
        parser.add_argument("--round", type=int, required=True, dest="year")
        parser.add_argument(
            "--format",
            choices=[*sorted(WRITERS), "sdmx-dsd"],
            default="csv",
            dest="fmt",
            help="sdmx-dsd: the structure the sdmx-csv files follow",
        )
        parser.add_argument(
            "--public",
            action="store_true",
            help="only the published, disclosure-controlled release",
        )

    def handle(self, *args, out, year, fmt, public, **options):  # type: ignore[no-untyped-def]
        if fmt == "sdmx-dsd":
            Path(out).write_text(dsd_xml(), encoding="utf-8")
            self.stdout.write(f"Wrote {out} (SDMX-ML 3.0 data structure definition).")
            return
        round_ = selectors.rounds().filter(year=year).first()
        if round_ is None:
            raise CommandError(f"No {year} round.")
        try:
            data, _type, _name = export_statistics(
                actor=None,
                actor_label=command_label("export_statistics"),
                round_=round_,
                fmt=fmt,
                public=public,
            )
        except Http404:
            what = " with a differentially private table" if fmt == "dp-csv" else ""
            raise CommandError(f"The {year} round has no published release{what} yet.") from None
        Path(out).write_bytes(data)
        self.stdout.write(
            f"Wrote {out} ({len(data):,} bytes, {fmt}, "
            f"{'public release' if public else 'internal, not suppressed'})."
        )
