from django.core.management.base import CommandError

from ctip.core.management.commands._base import CtipCommand, command_label, existing_file
from ctip.surveys import xlsform
from ctip.surveys.models import Survey
from ctip.surveys.services import MAX_RESPONSE_ROWS, responses_import
from ctip.tabular import ENCODINGS, FileProblem, read_dicts


class Command(CtipCommand):
    help = (
        "Import a survey's responses: a KoBoToolbox / ODK export of its XLSForm, or a plain "
        "file with respondent_id, weight, optional stratum and cluster, the breakdown "
        "variables by name and one column per indicator (yes / no / blank). All rows or "
        "none; a respondent imported before is skipped."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--survey", required=True)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--wave", default="", help="the wave of an export of the form")
        parser.add_argument("--encoding", choices=ENCODINGS, default="")

    def handle(self, *args, file, survey, dry_run, wave, encoding, **options):  # type: ignore[no-untyped-def]
        found = Survey.objects.filter(code=survey.lower()).first()
        if found is None:
            raise CommandError(f"No survey {survey!r}: define it with ctip create_survey.")
        path = existing_file(file)
        try:
            rows = read_dicts(path.read_bytes(), path.name, MAX_RESPONSE_ROWS, encoding)
            if xlsform.is_field_export(rows):
                rows = xlsform.plain_rows(found, rows, wave)
        except FileProblem as problem:
            self.refuse(str(problem))
        report = responses_import(
            survey=found, rows=rows, dry_run=dry_run, actor_label=command_label("import_survey")
        )
        if report.errors:
            self.refuse(rows=report.errors)
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.created} responses imported, {report.already} already there."
        )
