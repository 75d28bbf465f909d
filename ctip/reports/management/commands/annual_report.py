from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ctip.core.management.commands._base import command_label
from ctip.reports.codes import OutputFormat
from ctip.reports.fonts import FontMissing
from ctip.reports.render import record_built, render
from ctip.reports.services import LANGUAGES, check_build


class Command(BaseCommand):
    help = (
        "Write the year's annual report in one language, as PDF or DOCX (from OUT's suffix), "
        "from the published data and the approved texts."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--language", required=True, choices=LANGUAGES)
        parser.add_argument("out", help="OUT.pdf or OUT.docx")

    def handle(self, *args, year, language, out, **options):  # type: ignore[no-untyped-def]
        path = Path(out)
        output = path.suffix.lower().lstrip(".")
        if output not in OutputFormat.values:
            raise CommandError(f"{out}: the file must end in .pdf or .docx")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder")
        try:
            check_build(year=year, language=language, output=output)
            rendered = render(year=year, language=language, output=output)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except FontMissing as missing:
            raise CommandError(str(missing)) from None
        with transaction.atomic():  # the file is written only with its audit event
            record_built(
                actor=None,
                rendered=rendered,
                output=output,
                actor_label=command_label("annual_report"),
            )
            path.write_bytes(rendered.data)
        report = rendered.report
        self.stdout.write(
            f"{path}: {len(rendered.data):,} bytes, {len(report.sections)} sections, "
            f"{len(report.notes)} notes."
        )
        if report.missing_texts:
            self.stderr.write(
                "Sections without an approved text in this language: "
                + ", ".join(report.missing_texts)
            )
