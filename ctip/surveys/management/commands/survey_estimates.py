from pathlib import Path

from django.core.management.base import CommandError

from ctip.core.exports import csv_bytes
from ctip.core.management.commands._base import CtipCommand
from ctip.surveys.models import Survey
from ctip.surveys.results import ESTIMATE_COLUMNS, survey_estimates


class Command(CtipCommand):
    help = (
        "Write a survey's weighted estimates with 95 % intervals (Korn-Graubard, design-based) "
        "to a CSV: group (all without --by), indicator (any for the composite), n, "
        "prevalence, ci_low, ci_high (proportions 0-1)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("code")
        parser.add_argument("--by", default="")
        parser.add_argument("out")

    def handle(self, *args, code, by, out, **options):  # type: ignore[no-untyped-def]
        survey = Survey.objects.filter(code=code.lower()).first()
        if survey is None:
            raise CommandError(f"No survey {code!r}.")
        if by and by not in survey.breakdowns:
            raise CommandError(f"--by: one of {', '.join(survey.breakdowns) or 'none'}.")
        found = survey_estimates(survey, by or None)
        Path(out).write_bytes(csv_bytes(ESTIMATE_COLUMNS, (e.as_row() for e in found), bom=False))
        self.stdout.write(f"{len(found)} estimates written to {out}.")
