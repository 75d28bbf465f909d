"""Files too big to read are refused before they hold a worker, and nothing is written."""

import io
import time
import zipfile
from collections.abc import Sequence

import pytest
from openpyxl import Workbook

from ctip import tabular
from ctip.statistics.importing import import_file
from ctip.statistics.models import Submission, VictimRecord
from ctip.statistics.tests.conftest import ctip_csv
from ctip.tabular import FileProblem, read_table

ROW = {"year_of_identification": 2025, "country_of_detection": "IRQ"}


def workbook(rows: Sequence[Sequence[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb(unpacked_mb: int) -> bytes:
    """An XLSX-looking zip of a few hundred kilobytes whose worksheet unpacks to `unpacked_mb`
    MB of rows."""
    buffer = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000  # about 1 MB
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(unpacked_mb):
                sheet.write(row)
    return buffer.getvalue()


def test_a_workbook_that_would_unpack_past_the_limit_is_refused_unread():
    # given: a file of well under a megabyte that unpacks to 260 MB
    bomb = zip_bomb(260)
    assert len(bomb) < 1024 * 1024
    # when
    started = time.monotonic()
    with pytest.raises(FileProblem) as refused:
        read_table(bomb, "bomb.xlsx")
    # then: refused at once, naming the limit
    assert time.monotonic() - started < 1
    assert "200 MB" in str(refused.value)


def test_a_workbook_compressed_like_a_bomb_is_refused_even_when_small():
    with pytest.raises(FileProblem) as refused:
        read_table(zip_bomb(3), "bomb.xlsx")
    assert f"at most {tabular.MAX_COMPRESSION_RATIO}" in str(refused.value)


def test_reading_stops_past_the_row_limit_of_a_workbook_and_a_csv():
    header = ["a", "b"]
    book = workbook([header, *[[n, n] for n in range(12)]])
    csv = ("a,b\n" + "1,2\n" * 12).encode()
    for data, name in ((book, "f.xlsx"), (csv, "f.csv")):
        assert len(list(read_table(data, name, max_rows=12).rows)) == 12
        with pytest.raises(FileProblem) as refused:
            list(read_table(data, name, max_rows=11).rows)
        assert "11" in str(refused.value)


def test_a_large_csv_is_refused_by_its_size(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_CSV_BYTES", 100)
    with pytest.raises(FileProblem):
        read_table(b"a,b\n" + b"1,2\n" * 50, "f.csv")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["records.csv", "records.xlsx", "bomb.xlsx"])
def test_an_import_past_the_limits_writes_nothing(name, mission, round_2025):
    # given
    if name == "bomb.xlsx":
        data = zip_bomb(260)
    else:
        csv = ctip_csv([ROW] * 6)
        data = (
            csv
            if name.endswith(".csv")
            else workbook([line.split(",") for line in csv.decode().splitlines()])
        )
    # when
    result = import_file(
        actor=mission["focal_point"],
        entity=mission["entity"],
        round_=round_2025,
        data=data,
        filename=name,
        layout_name="ctip",
        max_rows=5,
    )
    # then
    assert not result.ok and ("5 rows" in result.file_problem or "MB" in result.file_problem)
    assert not Submission.objects.exists() and not VictimRecord.objects.exists()
