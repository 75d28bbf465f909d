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
import itertools
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

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


Source = bytes | BinaryIO  # a file in memory, or open for reading in binary (from its start)
CHUNK_BYTES = 1024 * 1024  # how much of a file is decoded at a time
BATCH_LINES = 10_000  # lines copied at a time by write_csv_file


def codec_for(start: bytes, encoding: str = "") -> str:
    """UTF-16 or UTF-8 by byte-order mark, else UTF-8. Latin-1 decodes any byte, so it is
    used only when asked for: guessed, it would turn a Cyrillic or Arabic file from an old
    spreadsheet into plausible-looking nonsense."""
    if encoding == "latin-1":
        return "latin-1"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if encoding == "utf-16":
        raise FileProblem(
            _("The file has no UTF-16 byte-order mark: save it as “Unicode text” or as CSV UTF-8.")
        )
    return "utf-8-sig"


def undecodable(codec: str, error: UnicodeDecodeError, lines_before: int = 0) -> FileProblem:
    if codec == "utf-16":
        return FileProblem(_("The file starts as UTF-16 but is cut off or broken: save it again."))
    line = lines_before + error.object[: error.start].count(b"\n") + 1
    return FileProblem(
        _(
            "The file is not UTF-8 (byte 0x%(byte)02X on line %(line)s). Save it as "
            "“CSV UTF-8” and import it again; or, if it comes from an older spreadsheet "
            "in a Western European language, import it again choosing the encoding Latin-1."
        )
        % {"byte": error.object[error.start], "line": line}
    )


def decode(data: bytes, encoding: str = "") -> str:
    """The whole text of a small file (JSON)."""
    codec = codec_for(data[:2], encoding)
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise undecodable(codec, error) from None


def binary_stream(source: Source) -> BinaryIO:
    """The source as a file positioned at its start (bytes are not copied)."""
    if isinstance(source, bytes):
        return io.BytesIO(source)
    source.seek(0)
    return source


def head(source: Source, size: int) -> bytes:
    if isinstance(source, bytes):
        return source[:size]
    source.seek(0)
    start = source.read(size)
    source.seek(0)
    return start


def whole(source: Source) -> bytes:
    """The file in memory, for the formats read whole (a workbook is a zip)."""
    return source if isinstance(source, bytes) else binary_stream(source).read()


def text_lines(stream: BinaryIO, encoding: str = "") -> Iterator[str]:
    """The file's lines with their endings (\\n, \\r\\n or \\r, as a file opened with
    newline=""), decoded a chunk at a time, so a file of millions of rows is never held as
    text. A NUL anywhere, or a byte the encoding cannot decode, raises FileProblem."""
    codec = codec_for(head(stream, 2), encoding)
    decoder = codecs.getincrementaldecoder(codec)()
    newlines, pending = 0, []  # the pieces of a line that has not ended yet
    while True:
        chunk = stream.read(CHUNK_BYTES)
        try:
            piece = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            raise undecodable(codec, error, newlines) from None
        newlines += chunk.count(b"\n")
        if chunk:
            # Cut after the last line end; a \r at the very end may be half of a \r\n.
            cut = max(piece.rfind("\n"), piece.rfind("\r", 0, len(piece) - 1)) + 1
            if not cut:
                pending.append(piece)  # joined once, when the line ends: no quadratic copy
                continue
            text, pending = "".join([*pending, piece[:cut]]), [piece[cut:]]
        else:
            text, pending = "".join([*pending, piece]), []
        lines = _LINE.findall(text)
        for line in lines:
            if "\x00" in line:
                raise FileProblem(_("The file contains NUL bytes: it is not a text CSV file."))
            yield line
        if not chunk:
            return


class Lines:
    """A file's lines one at a time, with room to put one back for the csv reader to take."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._back: list[str] = []

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        return self._back.pop() if self._back else next(self._lines)

    def push(self, *lines: str) -> None:
        """Put these lines back, to be read again in their order."""
        self._back.extend(reversed(lines))

    def pushed(self) -> int:
        return len(self._back)


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


def csv_lines(source: Source, encoding: str = "") -> tuple[type[csv.Dialect], Lines]:
    """The file's dialect (its delimiter, from the first rows) and its lines."""
    stream = binary_stream(source)
    stream.seek(0, io.SEEK_END)
    if stream.tell() > MAX_CSV_BYTES:
        raise FileProblem(
            _("The file is larger than %(n)s MB: split it and import each part.")
            % {"n": MAX_CSV_BYTES // (1024 * 1024)}
        )
    stream.seek(0)
    lines = Lines(text_lines(stream, encoding))
    sample: list[str] = []
    size = 0
    for line in lines:
        sample.append(line)
        size += len(line)
        if size >= SNIFF_BYTES:
            break
    lines.push(*sample)
    return dialect_for(detect_delimiter("".join(sample))), lines


def read_header(reader: Iterator[list[str]]) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise FileProblem(_("The file is empty.")) from None
    except csv.Error as error:
        raise FileProblem(_("The header cannot be read: %(error)s") % {"error": error}) from None
    return checked_header([h.strip() for h in header])


def broken_csv(line: int, error: csv.Error) -> FileProblem:
    return FileProblem(
        _("Broken CSV near line %(line)s: %(error)s") % {"line": line, "error": error}
    )


def read_csv(source: Source, max_rows: int = MAX_ROWS, encoding: str = "") -> Table:
    dialect, lines = csv_lines(source, encoding)
    reader = csv.reader(lines, dialect)
    header = read_header(reader)

    def rows() -> Iterator[list[str]]:
        try:
            for number, row in enumerate(reader, start=1):
                if number > max_rows:
                    raise too_many_rows(max_rows)
                yield row
        except csv.Error as error:
            raise broken_csv(reader.line_num, error) from None

    return Table(header, rows(), 2, dialect)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+")


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


def is_xlsx(source: Source, filename: str) -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or head(source, 4) == b"PK\x03\x04"


def read_table(
    source: Source, filename: str, max_rows: int = MAX_ROWS, encoding: str = ""
) -> Table:
    """The file's header and rows; reading past `max_rows` data rows raises FileProblem."""
    if is_xlsx(source, filename):
        data = whole(source)
        main_csv = zipped_csv(data)
        if main_csv is not None:
            return read_csv(main_csv, max_rows=max_rows, encoding=encoding)
        return read_xlsx(data, max_rows)
    return read_csv(source, max_rows=max_rows, encoding=encoding)


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
    source: Source, filename: str, path: Path, max_rows: int = MAX_ROWS, encoding: str = ""
) -> CsvFile:
    """Write the file at `path` as UTF-8 CSV for DuckDB to read in bulk, a line at a time.

    Every row is read as `read_table` reads it, so the bulk reader sees exactly the values
    this module reads (there is one CSV reader in CTIP), and a row wider than the header is
    refused here, naming it. Lines without a quote have no quoting to read: split at the
    delimiter each is its row, for this reader and DuckDB alike, so they are copied as they
    are, BATCH_LINES at a time (a million rows in a fraction of the time); any other rows go
    through the csv module. Every line ends in \\n: DuckDB's reader takes one kind of line
    end per file."""
    if is_xlsx(source, filename):
        table = read_table(source, filename, max_rows, encoding)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
            writer.writerow(table.header)
            for number, row in enumerate(table.rows, start=table.first_data_row):
                if len(row) > len(table.header):
                    raise wider_than_header(number)
                writer.writerow(row)
        return CsvFile(path, table.header, ",", '"')
    dialect, lines = csv_lines(source, encoding)
    reader = csv.reader(lines, dialect)
    header = read_header(reader)
    too_wide = lines_wider_than(len(header), dialect.delimiter)
    number = 1  # the row last written, the header being row 1
    with path.open("w", encoding="utf-8", newline="") as handle:
        # Every value quoted: a lone \r inside a value is no line end to the csv module
        # (its line terminator is \n) but is one to DuckDB.
        writer = csv.writer(handle, dialect, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        while batch := list(itertools.islice(lines, BATCH_LINES)):
            if number - 1 + len(batch) > max_rows:
                raise too_many_rows(max_rows)
            block = "".join(batch)
            if '"' not in block and block.count("\r") == block.count("\r\n"):
                if wide := too_wide.search(block):
                    raise wider_than_header(number + 1 + block.count("\n", 0, wide.start()))
                handle.write(block.replace("\r\n", "\n"))
                if not block.endswith("\n"):
                    handle.write("\n")
                number += len(batch)
                continue
            lines.push(*batch)
            while lines.pushed():
                number += 1
                try:
                    row = next(reader)
                except csv.Error as error:
                    raise broken_csv(number, error) from None
                if len(row) > len(header):
                    raise wider_than_header(number)
                writer.writerow(row)
    return CsvFile(path, header, dialect.delimiter, '"')


def lines_wider_than(width: int, delimiter: str) -> re.Pattern[str]:
    """Finds a line of more than `width` cells in text without quotes."""
    cell = f"[^{re.escape(delimiter)}\n]*{re.escape(delimiter)}"
    return re.compile(f"^(?:{cell}){{{width}}}", re.MULTILINE)


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
