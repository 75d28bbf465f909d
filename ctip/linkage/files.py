"""Encoding a whole file: a CTIP-template table whose identity columns become one
`linkage_key` column. The encoding page (static/ctip/linkage/encoder.js) does the same in the
browser; tests/test_encoder_parity checks that both give the same keys."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ctip.linkage.keys import Identity, IdentityProblem, encode
from ctip.tabular import MAX_ROWS, FileProblem, read_table, wider_than_header

NAME_COLUMNS = ("given_name", "family_name")
DROPPED_COLUMNS = ("given_name", "family_name", "date_of_birth")  # `sex` stays: a statistic
KEY_COLUMN = "linkage_key"
MAX_ERRORS_KEPT = 100


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class EncodedFile:
    rows: int = 0
    without_name: int = 0  # rows with no name: no key, never matched
    problems: list[RowProblem] = field(default_factory=list)
    problem_count: int = 0
    text: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem_count


def encode_table(data: bytes, filename: str, secret: str, encoding: str = "") -> EncodedFile:
    """The file with its identity columns replaced by `linkage_key` (comma-separated UTF-8
    CSV), or every row problem and no text. Raises FileProblem for an unreadable file."""
    table = read_table(data, filename, max_rows=MAX_ROWS, encoding=encoding)
    header = table.header
    if KEY_COLUMN in header:
        raise FileProblem(_("The file already has a linkage_key column: it is encoded."))
    if not any(name in header for name in NAME_COLUMNS):
        raise FileProblem(
            _("The file has no given_name or family_name column: there is nothing to encode.")
        )
    where = {name: i for i, name in enumerate(header)}
    kept = [i for i, name in enumerate(header) if name not in DROPPED_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header[i] for i in kept] + [KEY_COLUMN])
    result = EncodedFile()
    for number, row in enumerate(table.rows, start=table.first_data_row):
        if not any(cell.strip() for cell in row):
            continue
        if any(cell.strip() for cell in row[len(header) :]):
            raise wider_than_header(number)
        result.rows += 1
        row = row + [""] * (len(header) - len(row))
        values = {
            name: row[where[name]] if name in where else "" for name in Identity.__annotations__
        }
        try:
            key = encode(Identity(**values), secret)
        except IdentityProblem as problem:
            result.problem_count += 1
            if len(result.problems) < MAX_ERRORS_KEPT:
                result.problems.append(RowProblem(number, problem.field, str(problem)))
            continue
        result.without_name += not key
        writer.writerow([row[i] for i in kept] + [key])
    if result.ok:
        result.text = out.getvalue()
    return result
