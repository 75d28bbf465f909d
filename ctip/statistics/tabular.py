"""Reading CSV and XLSX files from the field without losing or mangling a row.

Encodings: UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are
read; anything else is refused with the line where decoding failed, never guessed, because a
wrong guess silently corrupts names of places and people.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

MAX_CELL_CHARS = 10_000
SNIFF_BYTES = 64 * 1024


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says why and where."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: Iterator[list[str]]  # each row as strings, the header's length or shorter
    first_data_row: int  # the spreadsheet row number of the first data row
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(
            _(
                "The file is not UTF-8 (byte 0x%(byte)02X on line %(line)s). Save it as "
                "“CSV UTF-8” and import it again."
            )
            % {"byte": data[error.start], "line": line}
        ) from None


def read_csv(data: bytes, text: str | None = None) -> Table:
    text = _decode(data) if text is None else text
    if "\x00" in text:
        raise FileProblem(_("The file contains NUL bytes: it is not a text CSV file."))
    sample = text[:SNIFF_BYTES]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise FileProblem(_("The file is empty.")) from None
    except csv.Error as error:
        raise FileProblem(_("The header cannot be read: %(error)s") % {"error": error}) from None

    def rows() -> Iterator[list[str]]:
        try:
            yield from reader
        except csv.Error as error:
            raise FileProblem(
                _("Broken CSV near line %(line)s: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from None

    return Table([h.strip() for h in header], rows(), 2, dialect)


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise FileProblem(
            _("The file is not a readable XLSX workbook (%(error)s).")
            % {"error": type(error).__name__}
        ) from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = ["" if v is None else str(v).strip() for v in next(values)]
    except StopIteration:
        raise FileProblem(_("The first sheet is empty.")) from None

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def rows() -> Iterator[list[str]]:
        for row in values:
            yield [cell(v) for v in row]
        workbook.close()

    return Table(header, rows(), 2)


def is_xlsx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def read_table(data: bytes, filename: str) -> Table:
    if is_xlsx(data, filename):
        return read_xlsx(data)
    return read_csv(data)


@dataclass(frozen=True)
class CsvFile:
    """A file rewritten as UTF-8 CSV for a bulk reader, with its header already read."""

    path: Path
    header: list[str]
    delimiter: str
    quotechar: str


def write_csv_file(data: bytes, filename: str, path: Path) -> CsvFile:
    """Write the file as UTF-8 CSV at `path`: XLSX is converted, CSV is decoded (refusing
    what is not UTF-8 or UTF-16) and checked for an unclosed quote, which a bulk reader
    would otherwise take as the end of the file."""
    if is_xlsx(data, filename):
        table = read_xlsx(data)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.header)
            writer.writerows(table.rows)
        return CsvFile(path, table.header, ",", '"')
    text = _decode(data)
    table = read_csv(data, text)
    dialect = table.dialect
    quote = dialect.quotechar or '"'
    if text.count(quote) % 2:
        line = text.count("\n", 0, text.rindex(quote)) + 1
        raise FileProblem(
            _("Broken CSV near line %(line)s: a quoted value is never closed.") % {"line": line}
        )
    path.write_text(text, encoding="utf-8")
    return CsvFile(path, table.header, dialect.delimiter, quote)


def read_dicts(data: bytes, filename: str, max_rows: int) -> list[tuple[int, dict[str, str]]]:
    """Rows of a JSON list of objects, a CSV or an XLSX file as (row number, dict keyed by the
    header). JSON rows count from 1; file rows from 2, the header being row 1. Blank rows are
    skipped but keep their numbers, so messages point at the row a person sees."""
    if filename.lower().endswith(".json") or data.lstrip()[:1] == b"[":
        try:
            loaded = json.loads(_decode(data))
        except json.JSONDecodeError as error:
            raise FileProblem(
                _("Broken JSON on line %(line)s: %(error)s")
                % {"line": error.lineno, "error": error.msg}
            ) from None
        if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
            raise FileProblem(_("The JSON must be a list of objects, one per row."))
        if len(loaded) > max_rows:
            raise FileProblem(_("At most %(n)s rows per file.") % {"n": f"{max_rows:,}"})
        return [
            (number, {str(k): "" if v is None else str(v) for k, v in r.items()})
            for number, r in enumerate(loaded, start=1)
        ]
    table = read_table(data, filename)
    rows: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(table.rows, start=table.first_data_row):
        if not any(cell.strip() for cell in row):
            continue
        if len(rows) >= max_rows:
            raise FileProblem(_("At most %(n)s rows per file.") % {"n": f"{max_rows:,}"})
        if len(row) > len(table.header):
            raise FileProblem(_("Row %(row)s has more cells than the header.") % {"row": number})
        rows.append((number, dict(zip(table.header, row, strict=False))))
    return rows
