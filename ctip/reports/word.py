"""The report as a Word document (UN documents are edited in Word): the same sections,
figures and notes as the PDF, laid out right to left in Arabic."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _

from ctip.reports.charts import png
from ctip.reports.content import Report, Run


def docx_bytes(report: Report) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    backwards = report.direction == "rtl"
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_language(normal.element, report.language, backwards)
    with translation.override(report.language):
        document.core_properties.title = report.title
        document.core_properties.language = report.language
        _paragraph(document.add_heading(level=0), [Run(report.title)], backwards)
        _paragraph(document.add_paragraph(), [Run(report.subtitle)], backwards)
        for section in report.sections:
            _paragraph(document.add_heading(level=1), [Run(section.title)], backwards)
            for runs in section.paragraphs:
                _paragraph(document.add_paragraph(), runs, backwards)
            if section.empty:
                paragraph = _paragraph(document.add_paragraph(), [Run(section.empty)], backwards)
                paragraph.runs[0].italic = True
            for table in section.tables:
                caption = document.add_paragraph(style="Caption")
                _paragraph(caption, [Run(table.title, table.note)], backwards)
                grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
                grid.style = "Table Grid"
                if backwards:
                    _bidi_table(grid)
                for i, values in enumerate([table.header, *table.rows]):
                    for j, value in enumerate(values):
                        cell = grid.cell(i, j).paragraphs[0]
                        _paragraph(cell, [Run(value)], backwards)
                        if i == 0:
                            cell.runs[0].bold = True
            for chart in section.charts:
                document.add_picture(io.BytesIO(png(chart.spec)), width=Cm(16))
                caption = document.add_paragraph(style="Caption")
                _paragraph(caption, [Run(chart.title, chart.note)], backwards)
        _paragraph(document.add_heading(level=1), [Run(_("Notes"))], backwards)
        for number, source in enumerate(report.notes, start=1):
            _paragraph(document.add_paragraph(), [Run(f"{number}. {source}")], backwards)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraph(paragraph, runs: list[Run], backwards: bool):  # type: ignore[no-untyped-def]
    """Write the runs, a figure's note number as a superscript after it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for run in runs:
        written = paragraph.add_run(run.text)
        if backwards:
            _rtl_run(written)
        if run.note is not None:
            note = paragraph.add_run(str(run.note))
            note.font.superscript = True
            if backwards:
                _rtl_run(note)
    if backwards:
        properties = paragraph._p.get_or_add_pPr()
        properties.append(_element("w:bidi"))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def _element(tag: str, **attributes: str):  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _rtl_run(run) -> None:  # type: ignore[no-untyped-def]
    run._r.get_or_add_rPr().append(_element("w:rtl"))


def _bidi_table(table) -> None:  # type: ignore[no-untyped-def]
    """Columns laid out from the right, as Word does for an Arabic table."""
    table._tbl.tblPr.append(_element("w:bidiVisual"))


def _set_language(style_element, language: str, backwards: bool) -> None:  # type: ignore[no-untyped-def]
    """Word's spelling and shaping language for the text (w:lang), Arabic as complex script."""
    properties = style_element.get_or_add_rPr()
    code = {"zh-hans": "zh-CN", "ar": "ar-SA"}.get(language, language)
    if backwards:
        properties.append(_element("w:lang", val="en-GB", bidi=code))
    elif language == "zh-hans":
        properties.append(_element("w:lang", val="en-GB", eastAsia=code))
    else:
        properties.append(_element("w:lang", val=code))
