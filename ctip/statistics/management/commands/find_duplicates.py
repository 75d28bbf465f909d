from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ctip.core.management.commands._base import CtipCommand, command_label
from ctip.statistics import duplicates, selectors


class Command(CtipCommand):
    help = (
        "Match a round's records of different entities on their linkage keys and propose "
        "clusters of probable duplicates for the analysts (decided clusters are kept); prints "
        "how many clusters were proposed."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--round", type=int, required=True, dest="year")

    def handle(self, *args: Any, year: int, **options: Any) -> None:
        round_ = selectors.rounds().filter(year=year).first()
        if round_ is None:
            raise CommandError(_("No %(year)s round.") % {"year": year})
        found = duplicates.dedup_run(
            actor=None, round_=round_, actor_label=command_label("find_duplicates")
        )
        self.stdout.write(
            _("%(n)s clusters of probable duplicates proposed in the %(year)s round.")
            % {"n": found, "year": year}
        )
