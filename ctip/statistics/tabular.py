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
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

MAX_CELL_CHARS = 10_000
SNIFF_BYTES = 64 * 1024
# A file that unpacks or reads past these limits is refused with a message naming the limit,
# before anything is written: an XLSX is a zip, and a few kilobytes can unpack to gigabytes.
MAX_ROWS = 1_000_000  # data rows of one file (the record import's limit)
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # worksheets compress 10 to 30 times; a zip bomb, thousands
MAX_CSV_BYTES = 500 * 1024 * 1024


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


def too_many_rows(max_rows: int) -> FileProblem:
    return FileProblem(_("At most %(n)s rows per file.") % {"n": f"{max_rows:,}"})


def read_csv(data: bytes, text: str | None = None, max_rows: int = MAX_ROWS) -> Table:
    if len(data) > MAX_CSV_BYTES:
        raise FileProblem(
            _("The file is larger than %(n)s MB: split it and import each part.")
            % {"n": MAX_CSV_BYTES // (1024 * 1024)}
        )
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
            for number, row in enumerate(reader, start=1):
                if number > max_rows:
                    raise too_many_rows(max_rows)
                yield row
        except csv.Error as error:
            raise FileProblem(
                _("Broken CSV near line %(line)s: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from None

    return Table([h.strip() for h in header], rows(), 2, dialect)


def check_zip(data: bytes) -> None:
    """Refuse, unread, a workbook that would unpack to more than MAX_XLSX_UNPACKED_BYTES or
    with a member compressed more than MAX_COMPRESSION_RATIO times (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileProblem(_("The file is not a readable XLSX workbook (BadZipFile).")) from None
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise FileProblem(
            _(
                "The workbook would unpack to more than %(n)s MB: split it into smaller files, "
                "or save it as CSV."
            )
            % {"n": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise FileProblem(
                _(
                    "The workbook is compressed %(ratio)s times, more than a spreadsheet can "
                    "be (at most %(n)s): it is refused unread."
                )
                % {"ratio": f"{int(ratio):,}", "n": MAX_COMPRESSION_RATIO}
            )


def read_xlsx(data: bytes, max_rows: int = MAX_ROWS) -> Table:
    from openpyxl import load_workbook

    check_zip(data)
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
        try:
            for number, row in enumerate(values, start=1):
                if number > max_rows:
                    raise too_many_rows(max_rows)
                yield [cell(v) for v in row]
        finally:
            workbook.close()

    return Table(header, rows(), 2)


def is_xlsx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def read_table(data: bytes, filename: str, max_rows: int = MAX_ROWS) -> Table:
    """The file's header and rows; reading past `max_rows` data rows raises FileProblem."""
    if is_xlsx(data, filename):
        return read_xlsx(data, max_rows)
    return read_csv(data, max_rows=max_rows)


@dataclass(frozen=True)
class CsvFile:
    """A file rewritten as UTF-8 CSV for a bulk reader, with its header already read."""

    path: Path
    header: list[str]
    delimiter: str
    quotechar: str


def write_csv_file(data: bytes, filename: str, path: Path, max_rows: int = MAX_ROWS) -> CsvFile:
    """Write the file as UTF-8 CSV at `path`: XLSX is converted, CSV is decoded (refusing
    what is not UTF-8 or UTF-16) and checked for an unclosed quote, which a bulk reader
    would otherwise take as the end of the file."""
    if is_xlsx(data, filename):
        table = read_xlsx(data, max_rows)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.header)
            writer.writerows(table.rows)
        return CsvFile(path, table.header, ",", '"')
    text = _decode(data)
    table = read_csv(data, text, max_rows)
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
            raise too_many_rows(max_rows)
        return [
            (number, {str(k): "" if v is None else str(v) for k, v in r.items()})
            for number, r in enumerate(loaded, start=1)
        ]
    table = read_table(data, filename, max_rows=2 * max_rows + 1_000)  # blank rows too
    rows: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(table.rows, start=table.first_data_row):
        if not any(cell.strip() for cell in row):
            continue
        if len(rows) >= max_rows:
            raise too_many_rows(max_rows)
        if len(row) > len(table.header):
            raise FileProblem(_("Row %(row)s has more cells than the header.") % {"row": number})
        rows.append((number, dict(zip(table.header, row, strict=False))))
    return rows
