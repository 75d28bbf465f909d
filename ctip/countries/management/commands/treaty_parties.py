from django.core.management.base import CommandError

from ctip.core.management.commands._base import CtipCommand
from ctip.countries import selectors
from ctip.countries.codes import INSTRUMENTS_BY_CODE
from ctip.countries.services import as_of_date


class Command(CtipCommand):
    help = (
        "Parties to an instrument on a date: the count on the first line, then one party per "
        "line (ISO code, tab, name, tab, date bound). --not-parties lists the UN Member and "
        "observer States not bound instead."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("instrument", choices=sorted(INSTRUMENTS_BY_CODE))
        parser.add_argument("--as-of", default="", help="YYYY-MM-DD, today if omitted")
        parser.add_argument("--not-parties", action="store_true")

    def handle(self, *args, instrument, as_of, not_parties, **options):  # type: ignore[no-untyped-def]
        try:
            date = as_of_date(as_of)
        except ValueError:
            raise CommandError(
                f"--as-of must be a date such as 2024-12-31, not {as_of!r}."
            ) from None
        if not_parties:
            others = sorted(selectors.non_parties(instrument, date), key=lambda p: p[0].alpha3)
            lines = [f"{country.alpha3}\t{country.name}" for country, _status in others]
        else:
            found = sorted(selectors.parties(instrument, date), key=lambda s: s.participant)
            lines = [
                f"{s.country_id or '-'}\t{s.participant}\t{s.consent_date.isoformat()}"
                for s in found
                if s.consent_date
            ]
        self.stdout.write("\n".join([str(len(lines)), *lines]))
