"""Helpers every CSV/XLSX export uses."""

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """Neutralise cells a spreadsheet would run as a formula (CSV injection): an apostrophe
    before a formula start. A text that already starts with apostrophes before one gets
    another too, so that `spreadsheet_unsafe` gives back exactly what was written."""
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def spreadsheet_unsafe(text: str) -> str:
    """The inverse of `spreadsheet_safe`, for a file CTIP exported coming back in."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_bytes(header: list[str], rows: Iterable[Iterable[object]], *, bom: bool = True) -> bytes:
    """UTF-8, by default with a byte-order mark so Excel opens Arabic and Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(
    header: list[str], rows: Iterable[Iterable[object]], *, sheet: str = "data"
) -> bytes:
    """One sheet; text cells neutralised like the CSV, numbers and dates kept as such."""
    return workbook_bytes([(sheet, header, rows)])


def workbook_bytes(sheets: Iterable[tuple[str, list[str], Iterable[Iterable[object]]]]) -> bytes:
    """Sheets of (name, header, rows), each neutralised like `xlsx_bytes`."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, header, rows in sheets:
        worksheet = workbook.create_sheet(name[:31])
        worksheet.append(header)
        for row in rows:
            worksheet.append([spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
