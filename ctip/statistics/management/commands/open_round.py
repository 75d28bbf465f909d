from datetime import date

from django.core.management.base import CommandError

from ctip.core.management.commands._base import CtipCommand, command_label
from ctip.statistics.services import round_open


class Command(CtipCommand):
    help = "Open a GLOTIP reporting round: ctip open_round YEAR [--deadline YYYY-MM-DD]"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("year", type=int)
        parser.add_argument("--deadline", default="")

    def handle(self, *args, year, deadline, **options):  # type: ignore[no-untyped-def]
        try:
            due = date.fromisoformat(deadline) if deadline else date(year + 1, 6, 30)
        except ValueError:
            raise CommandError(f"--deadline {deadline!r} is not a date like 2026-06-30") from None
        round_ = round_open(
            actor=None, actor_label=command_label("open_round"), year=year, deadline=due
        )
        self.stdout.write(f"Opened the {round_.year} round, due {round_.deadline.isoformat()}.")
