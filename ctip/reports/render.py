"""One entry for every way a report is made (page, API, command): build, render, audit."""

from __future__ import annotations

from dataclasses import dataclass

from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.reports.codes import OutputFormat, ReportAction
from ctip.reports.content import Report, build

CONTENT_TYPES = {
    OutputFormat.PDF: "application/pdf",
    OutputFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Rendered:
    data: bytes
    filename: str
    content_type: str
    report: Report


def render(*, year: int, language: str, output: str) -> Rendered:
    report = build(year, language)
    if output == OutputFormat.PDF:
        from ctip.reports.pdf import pdf_bytes

        data = pdf_bytes(report)
    else:
        from ctip.reports.word import docx_bytes

        data = docx_bytes(report)
    name = f"ctip-annual-report-{year}-{language}.{output}"
    return Rendered(data, name, CONTENT_TYPES[OutputFormat(output)], report)


def record_built(
    *, actor: User | None, rendered: Rendered, output: str, actor_label: str = ""
) -> None:
    """The audit event of a report made (who made which report, from which texts)."""
    report = rendered.report
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=ReportAction.REPORT_BUILT,
        details={
            "year": report.year,
            "language": report.language,
            "output": output,
            "bytes": len(rendered.data),
            "sections_without_text": len(report.missing_texts),
        },
    )
