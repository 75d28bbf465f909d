from django.core.management.base import CommandError
from django.utils import timezone

from ctip.core.management.commands._base import CtipCommand, day_option
from ctip.warning.services import compute, evaluate


class Command(CtipCommand):
    help = (
        "Compute the early-warning signals and levels as of a date and print one line per "
        "situation: name, level, and the signals above their expected range (tab-separated). "
        "With --save (today only), store them and alert the situations' watchers, as the "
        "worker does daily."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--as-of", default="", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--save", action="store_true", help="store and raise alerts")

    def handle(self, *args, as_of, save, **options):  # type: ignore[no-untyped-def]
        day = day_option("--as-of", as_of) or timezone.localdate()
        if day > timezone.localdate():
            raise CommandError("--as-of cannot be in the future.")
        if save and day != timezone.localdate():
            raise CommandError(
                "--save stores today's signals and alerts; a past date is printed, not stored."
            )
        if save:
            results, run = compute(day)
        else:
            results = evaluate(day)
        for result in results:
            raised = result.situation.raised()
            self.stdout.write(
                f"{result.place.name}\t{result.level or 'unknown'}\t{', '.join(raised) or '-'}"
            )
        if save:
            self.stderr.write(f"Stored; {run.alerts} new alert(s), {run.seconds:.2f} s.")
