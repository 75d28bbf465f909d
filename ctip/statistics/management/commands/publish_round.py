from argparse import ArgumentTypeError
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ctip.statistics import selectors, services
from ctip.statistics.management.commands._acting import ActingCommand, acting_user

MAX_THRESHOLD = 100  # the publish page's and the API's upper limit


def threshold_type(text: str) -> int:
    """A whole number up to the pages' limit; the lower limit is the service's to say."""
    value = int(text)
    if value > MAX_THRESHOLD:
        raise ArgumentTypeError(_("at most %(n)s") % {"n": MAX_THRESHOLD})
    return value


class Command(ActingCommand):
    help = (
        "Publish a round's validated data as a user, with the page's disclosure control and "
        "audit: ctip publish_round YEAR --as EMAIL [--threshold K] [--epsilon E]"
    )
    not_found_message = gettext_noop("No %(year)s round.")

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--threshold",
            type=threshold_type,
            default=services.DEFAULT_THRESHOLD,
            help="suppress cells below this count",
        )
        parser.add_argument(
            "--epsilon", type=float, default=None, help="also a differentially private table"
        )
        super().add_arguments(parser)

    def handle(self, *args: Any, year: int, threshold: int, epsilon: float | None, **options: Any):  # type: ignore[no-untyped-def]
        user = acting_user(options["as_user"])
        release = services.round_publish(
            actor=user, round_=selectors.round_get(year=year), threshold=threshold, epsilon=epsilon
        )
        self.stdout.write(
            _("Published the %(year)s round, version %(version)s (cells below %(k)s suppressed).")
            % {"year": year, "version": release.version, "k": release.threshold}
        )
