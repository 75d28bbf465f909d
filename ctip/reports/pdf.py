"""The report as PDF, typeset by Typst: right to left in Arabic, with each language's fonts."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from ctip.reports import fonts
from ctip.reports.charts import svg
from ctip.reports.content import Report

TEMPLATE = Path(__file__).parent / "templates" / "reports" / "report.typ"


def pdf_bytes(report: Report) -> bytes:
    import typst

    fonts.require(report.language)
    with (
        tempfile.TemporaryDirectory(prefix="ctip-report-") as folder,
        translation.override(report.language),
    ):
        root = Path(folder)
        (root / "report.typ").write_bytes(TEMPLATE.read_bytes())
        sections = []
        for s, section in enumerate(report.sections):
            charts = []
            for c, chart in enumerate(section.charts):
                name = f"chart-{s}-{c}.svg"
                (root / name).write_bytes(svg(chart.spec))
                charts.append({"title": chart.title, "note": chart.note, "file": name})
            sections.append(
                {
                    "title": section.title,
                    "paragraphs": [
                        [{"text": run.text, "note": run.note} for run in paragraph]
                        for paragraph in section.paragraphs
                    ],
                    "tables": [
                        {"title": t.title, "note": t.note, "header": t.header, "rows": t.rows}
                        for t in section.tables
                    ],
                    "charts": charts,
                    "empty": section.empty,
                }
            )
        data = {
            "lang": report.language.split("-")[0],
            "dir": report.direction,
            "fonts": fonts.families(report.language),
            "title": report.title,
            "subtitle": report.subtitle,
            "sections": sections,
            "notes_title": _("Notes"),
            "notes": report.notes,
        }
        return bytes(
            typst.compile(
                str(root / "report.typ"),
                root=str(root),
                font_paths=[str(d) for d in fonts.directories()],
                sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
            )
        )
