from pathlib import Path

from ctip.caselaw import exports, selectors
from ctip.core.management.commands._base import CtipCommand


class Command(CtipCommand):
    help = "Write the published court decisions to OUT as CSV or JSON (by its extension)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("out")

    def handle(self, *args, out, **options):  # type: ignore[no-untyped-def]
        decisions = selectors.visible_decisions(None).select_related("conflict_situation")
        writer = exports.export_json if out.lower().endswith(".json") else exports.export_csv
        Path(out).write_bytes(writer(decisions))
        self.stdout.write(f"Wrote {decisions.count()} decisions to {out}.")
