from ctip.core.audit import acting_via
from ctip.core.management.commands._base import CtipCommand, command_label, entity_named
from ctip.surveys.services import survey_save


class Command(CtipCommand):
    help = (
        "Define a survey: its indicators (codes of the question bank, the DTM set to start "
        "with) and the breakdowns it offers. The composite `any` is always there."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("code")
        parser.add_argument("--indicators", required=True, help="codes, comma-separated")
        parser.add_argument("--breakdowns", default="", help="route,nationality,sex,…")
        parser.add_argument("--title", default="")
        parser.add_argument("--entity", default="CTIP", help="the entity that runs it")
        parser.add_argument("--min-n", default="30")
        parser.add_argument("--wave", default="1")

    def handle(self, *args, code, indicators, breakdowns, title, entity, min_n, wave, **options):  # type: ignore[no-untyped-def]
        with acting_via(command_label("create_survey")):
            survey = survey_save(
                actor=None,
                entity=entity_named(entity),
                raw={
                    "code": code,
                    "title": title,
                    "indicators": indicators.replace(",", ";"),
                    "breakdowns": breakdowns.replace(",", ";"),
                    "min_n": min_n,
                    "current_wave": wave,
                },
            )
        self.stdout.write(
            f"Survey {survey.code}: {len(survey.indicators)} indicators, "
            f"breakdowns {', '.join(survey.breakdowns) or 'none'}."
        )
