"""Reading CSV, XLSX and JSON files from the field without losing or mangling a value.

The one reader of tabular files in CTIP: the record import, the screening import and the
treaty, national-response and case-law imports all read through here. Delimiters `,` `;`
and tab are told apart by which reads the file into the most regular table; quoting is
always the standard one. Encodings: UTF-8 (with or without a byte-order mark), UTF-16 with
a byte-order mark, and Latin-1 when the person says so; anything else is refused with the
line where decoding failed, never guessed, because a wrong guess silently corrupts names of
places and people.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    dialect: type[csv.Dialect] = csv.excel


ENCODINGS = ("utf-8", "utf-16", "latin-1")  # what a person may choose besides detection
DELIMITERS = (",", ";", "\t")  # in order of preference when two read a file equally well


def decode(data: bytes, encoding: str = "") -> str:
    """The file's text. Without `encoding`: UTF-16 or UTF-8 by byte-order mark, else UTF-8.
    Latin-1 decodes any byte, so it is used only when asked for: guessed, it would turn a
    Cyrillic or Arabic file from an old spreadsheet into plausible-looking nonsense."""
    if encoding == "latin-1":
        return data.decode("latin-1")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileProblem(
                _("The file starts as UTF-16 but is cut off or broken: save it again.")
            ) from None
    if encoding == "utf-16":
        raise FileProblem(
            _("The file has no UTF-16 byte-order mark: save it as “Unicode text” or as CSV UTF-8.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(
            _(
                "The file is not UTF-8 (byte 0x%(byte)02X on line %(line)s). Save it as "
                "“CSV UTF-8” and import it again; or, if it comes from an older spreadsheet "
                "in a Western European language, import it again choosing the encoding Latin-1."
            )
            % {"byte": data[error.start], "line": line}
        ) from None


def too_many_rows(max_rows: int) -> FileProblem:
    return FileProblem(_("At most %(n)s rows per file.") % {"n": f"{max_rows:,}"})


def detect_delimiter(sample: str) -> str:
    """The delimiter that reads the first rows into the widest, most regular table.

    csv.Sniffer guesses quoting too, and on a fully quoted “;” file (KoBoToolbox's export) it
    guesses no doubled quotes, so the cell `site "A"` came back with two quotes too many.
    Here only the delimiter is chosen; quoting is always the standard one (RFC 4180)."""
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        sample = "".join(lines[:-1])  # the sample may end mid-row
    best, best_score = ",", (False, -1, -1)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            rows = [row for _n, row in zip(range(50), reader, strict=False)]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        score = (width > 1, sum(len(row) == width for row in rows[1:]), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class Dialect(csv.excel):
    """Standard quoting, strict: a stray character after a closing quote is an error, not
    a value silently changed."""

    strict = True


def dialect_for(delimiter: str) -> type[csv.Dialect]:
    return type("Dialect", (Dialect,), {"delimiter": delimiter})


def read_csv(
    data: bytes, text: str | None = None, max_rows: int = MAX_ROWS, encoding: str = ""
) -> Table:
    if len(data) > MAX_CSV_BYTES:
        raise FileProblem(
            _("The file is larger than %(n)s MB: split it and import each part.")
            % {"n": MAX_CSV_BYTES // (1024 * 1024)}
        )
    text = decode(data, encoding) if text is None else text
    if "\x00" in text:
        raise FileProblem(_("The file contains NUL bytes: it is not a text CSV file."))
    dialect = dialect_for(detect_delimiter(text[:SNIFF_BYTES]))
    reader = csv.reader(lines_of(text), dialect)
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

    return Table(checked_header([h.strip() for h in header]), rows(), 2, dialect)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+")


def lines_of(text: str) -> Iterator[str]:
    """The text's lines with their endings (\n, \r\n or \r, as a file opened with
    newline=""), one at a time: io.StringIO would first copy the whole text at four bytes a
    character (800 MB for a 200 MB file of five million rows)."""
    return (match.group() for match in _LINE.finditer(text))


def checked_header(header: list[str]) -> list[str]:
    """A column named twice would be read from one place and lose the other: refused."""
    named = [name for name in header if name]
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        raise FileProblem(
            _("Each column once: %(columns)s appear more than once in the header.")
            % {"columns": ", ".join(twice)}
        )
    return header


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
        header = checked_header(["" if v is None else str(v).strip() for v in next(values)])
    except StopIteration:
        raise FileProblem(_("The first sheet is empty.")) from None

    def cell(value: object) -> str:
        """The cell as the tool wrote it: a date cell (KoBo's XLSX stores dates as dates
        unless asked for text) as its ISO date, not “2026-09-01 00:00:00”."""
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, datetime.datetime):
            return (
                value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
            )
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
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


def read_table(data: bytes, filename: str, max_rows: int = MAX_ROWS, encoding: str = "") -> Table:
    """The file's header and rows; reading past `max_rows` data rows raises FileProblem."""
    if is_xlsx(data, filename):
        main_csv = zipped_csv(data)
        if main_csv is not None:
            return read_csv(main_csv, max_rows=max_rows, encoding=encoding)
        return read_xlsx(data, max_rows)
    return read_csv(data, max_rows=max_rows, encoding=encoding)


def zipped_csv(data: bytes) -> bytes | None:
    """The main table of a zip of CSV files, as ODK Central's “Download all” gives them
    (`form.csv`, then `form-repeat.csv` for each repeat, and media): the shortest CSV name
    at the top of the archive. None for a workbook."""
    check_zip(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "xl/workbook.xml" in names:
            return None
        tables = sorted((n for n in names if n.endswith(".csv") and "/" not in n), key=len)
        if not tables:
            raise FileProblem(_("The zip holds no CSV file and no workbook."))
        return archive.read(tables[0])


@dataclass(frozen=True)
class CsvFile:
    """A file rewritten as UTF-8 CSV for a bulk reader, with its header already read."""

    path: Path
    header: list[str]
    delimiter: str
    quotechar: str


def write_csv_file(
    data: bytes, filename: str, path: Path, max_rows: int = MAX_ROWS, encoding: str = ""
) -> CsvFile:
    """Write the file at `path` as UTF-8 CSV, every value quoted, for DuckDB to read in bulk.

    Every row goes through `read_table`, so the bulk reader sees exactly the values this
    module reads (there is one CSV reader in CTIP), and a row wider than the header is
    refused here, naming it."""
    if not is_xlsx(data, filename):
        text = decode(data, encoding)
        table = read_csv(data, text, max_rows)
        if '"' not in text and text.count("\r") == text.count("\r\n"):
            return _write_unquoted(text, table, path)
    table = read_table(data, filename, max_rows, encoding)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(table.header)
        for number, row in enumerate(table.rows, start=table.first_data_row):
            if len(row) > len(table.header):
                raise wider_than_header(number)
            writer.writerow(row)
    return CsvFile(path, table.header, ",", '"')


def _write_unquoted(text: str, table: Table, path: Path) -> CsvFile:
    """A file without a quote character has no quoting to read: each line split at the
    delimiter is the row, for this reader and DuckDB alike, so it is written as it is (a
    million rows in a fraction of the time), once no line is wider than the header."""
    delimiter = table.dialect.delimiter
    lines = text.split("\n")
    for number, line in enumerate(lines[1:], start=table.first_data_row):
        if line.count(delimiter) >= len(table.header):
            raise wider_than_header(number)
    path.write_text(text.removeprefix("\ufeff"), encoding="utf-8", newline="")
    return CsvFile(path, table.header, delimiter, '"')


def wider_than_header(row: int) -> FileProblem:
    return FileProblem(_("Row %(row)s has more cells than the header.") % {"row": row})


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """A JSON record with nested groups (ODK Central's OData) as `group/field` keys, the way
    KoBoToolbox's API writes them. Lists (repeats) are kept as JSON text."""
    flat: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}/"))
        elif isinstance(value, list):
            flat[name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            flat[name] = "true" if value else "false"
        else:
            flat[name] = "" if value is None else str(value)
    return flat


def json_records(loaded: object) -> list[dict[str, Any]]:
    """The records of a JSON file: a plain list, KoBoToolbox's API page
    (`{"count", "next", "previous", "results"}`) or an OData feed (`{"value": [...]}`)."""
    if isinstance(loaded, dict):
        if isinstance(loaded.get("results"), list):
            if loaded.get("next"):
                raise FileProblem(
                    _(
                        "This is one page of %(count)s submissions: download all of them "
                        "(a larger “limit” in the address, or the export) and import that."
                    )
                    % {"count": loaded.get("count", "?")}
                )
            loaded = loaded["results"]
        elif isinstance(loaded.get("value"), list):
            if loaded.get("@odata.nextLink"):
                raise FileProblem(
                    _("This is one page of an OData feed: download the whole feed and import it.")
                )
            loaded = loaded["value"]
    if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
        raise FileProblem(_("The JSON must be a list of objects, one per row."))
    return loaded


def is_json(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(".json") or data.lstrip()[:1] in (b"[", b"{")


def formula_like(value: str) -> bool:
    """A cell a spreadsheet would run (`=`, `@`, or `+`/`-` before something other than a
    number or a space). Refused on import rather than stored: a record is opened in Excel
    by the next person, and “- beaten” or “+41 22 917 1234” stay allowed. Imports that
    store free text check it per row, so the error names the row and the field."""
    text = value.lstrip()
    if text[:1] in {"=", "@"}:
        return True
    return text[:1] in {"+", "-"} and len(text) > 1 and not (text[1].isdigit() or text[1] in " .")


def is_hxl_row(row: list[str]) -> bool:
    """KoBoToolbox writes a row of HXL hashtags under the header when the form has them."""
    filled = [cell.strip() for cell in row if cell.strip()]
    return bool(filled) and all(cell.startswith("#") for cell in filled)


def read_dicts(
    data: bytes, filename: str, max_rows: int, encoding: str = ""
) -> list[tuple[int, dict[str, str]]]:
    """Rows of a JSON file, a CSV or an XLSX file as (row number, dict keyed by the header).
    JSON rows count from 1; file rows from 2, the header being row 1. Blank rows and a row
    of HXL hashtags are skipped but keep their numbers, so messages point at the row a
    person sees."""
    if is_json(data, filename):
        try:
            loaded = json.loads(decode(data, encoding))
        except json.JSONDecodeError as error:
            raise FileProblem(
                _("Broken JSON on line %(line)s: %(error)s")
                % {"line": error.lineno, "error": error.msg}
            ) from None
        except ValueError:  # a number of thousands of digits, refused by Python itself
            raise FileProblem(_("A number in the JSON is too long.")) from None
        records = json_records(loaded)
        if len(records) > max_rows:
            raise too_many_rows(max_rows)
        return [(number, flatten(r)) for number, r in enumerate(records, start=1)]
    table = read_table(data, filename, 2 * max_rows + 1_000, encoding)  # blank rows too
    rows: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(table.rows, start=table.first_data_row):
        if not any(cell.strip() for cell in row):
            continue
        if number == table.first_data_row and is_hxl_row(row):
            continue
        if len(rows) >= max_rows:
            raise too_many_rows(max_rows)
        if len(row) > len(table.header):
            raise wider_than_header(number)
        rows.append((number, dict(zip(table.header, row, strict=False))))
    return rows
