"""CTIP's one tabular reader returns every value exactly as the field tool wrote it.

The strongest check of “never changes a value”: read a real export, write the values back in
the tool's own format, and get the same bytes.
"""

import codecs
import csv
import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest

from ctip.tabular import FileProblem, read_csv, read_dicts

FIXTURES = Path(__file__).parent / "fixtures"


def written_like_kobo(header: list[str], rows: list[list[str]]) -> bytes:
    """KoBoToolbox's CSV export: “;”, every value quoted, CRLF, a UTF-8 byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def written_like_odk_central(header: list[str], rows: list[list[str]]) -> bytes:
    """ODK Central's CSV: “,”, quoted only when needed, LF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_kobo_export_reads_back_byte_for_byte():
    # given: KoBo's “;” export whose quoted quotes come after the first 64 KB of long
    # narratives, where csv.Sniffer guessed “no doubled quotes” and corrupted every row
    data = (FIXTURES / "kobo" / "screenings_xml_values_and_headers.csv").read_bytes()
    # when
    table = read_csv(data)
    rows = list(table.rows)
    # then
    assert written_like_kobo(table.header, rows) == data
    place = table.header.index("place")
    assert [row[place] for row in rows[14:16]] == ['site "A"', 'site "A"']
    assert rows[2][place] == "Zuwara\nport"
    assert rows[0][place] == 'Camp 3; block "B"'


def test_an_odk_central_export_reads_back_byte_for_byte():
    data = (FIXTURES / "odk" / "screenings_central.csv").read_bytes()
    table = read_csv(data)
    rows = list(table.rows)
    assert written_like_odk_central(table.header, rows) == data
    assert table.header[table.header.index("meta-instanceID")] == "meta-instanceID"


def test_excel_unicode_text_tab_separated_utf16_reads_every_value():
    # given: Excel's “Unicode text”: UTF-16 LE with a byte-order mark, tab-separated
    values = [["place", "reason"], ["طرابلس", 'said "later", left'], ["阿加德兹", "a;b"]]
    text = "\r\n".join("\t".join(row) for row in values) + "\r\n"
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    # when
    table = read_csv(data)
    # then
    assert [table.header, *table.rows] == values


@pytest.mark.parametrize(
    ("text", "delimiter", "second_row"),
    [
        ('"place";"n"\r\n"Tripoli, old town";"1"\r\n', ";", ["Tripoli, old town", "1"]),
        ('place,n\r\n"Camp; block B",1\r\n', ",", ["Camp; block B", "1"]),
        ("place\tn\r\nTripoli, old; town\t1\r\n", "\t", ["Tripoli, old; town", "1"]),
    ],
)
def test_the_delimiter_is_the_one_that_reads_a_regular_table(text, delimiter, second_row):
    table = read_csv(text.encode())
    assert table.dialect.delimiter == delimiter
    assert next(table.rows) == second_row


def test_latin1_is_read_when_asked_and_named_when_not():
    data = "place;n\r\nMiña;1\r\n".encode("latin-1")
    with pytest.raises(FileProblem) as refused:
        read_csv(data)
    assert "line 2" in str(refused.value) and "Latin-1" in str(refused.value)
    assert list(read_csv(data, encoding="latin-1").rows) == [["Miña", "1"]]


def test_a_character_after_a_closing_quote_is_an_error_not_a_changed_value():
    with pytest.raises(FileProblem) as refused:
        list(read_csv(b'place,n\n"site "A,1\n').rows)
    assert "line 2" in str(refused.value)


def test_a_kobo_api_page_and_an_odata_feed_become_rows_with_group_paths():
    kobo = read_dicts((FIXTURES / "kobo" / "screenings_api_v2.json").read_bytes(), "d.json", 10)
    odata = read_dicts((FIXTURES / "odk" / "screenings_odata.json").read_bytes(), "d.json", 10)
    assert kobo[0][1]["ilo_forced_labour/ilo_forced_labour_documents"] == "yes"
    assert odata[0][1]["ilo_forced_labour/ilo_forced_labour_documents"] == "yes"
    assert odata[0][1]["meta/instanceID"] == kobo[0][1]["meta/instanceID"]
    assert odata[0][1]["place"] == kobo[0][1]["place"] == 'Camp 3; block "B"'


def test_one_page_of_a_longer_kobo_listing_is_refused():
    page = {"count": 3000, "next": "https://kf.example.org/api/v2/…?start=1000", "results": []}
    with pytest.raises(FileProblem) as refused:
        read_dicts(json.dumps(page).encode(), "d.json", 10)
    assert "3000" in str(refused.value)


def test_a_row_of_hxl_hashtags_under_the_header_is_not_data():
    data = written_like_kobo(["place", "n"], [["#loc", ""], ["Agadez", "1"]])
    assert read_dicts(data, "d.csv", 10) == [(3, {"place": "Agadez", "n": "1"})]


def test_odk_centrals_zip_of_csv_files_reads_its_main_table():
    # given: Central's “Download all”: the form's CSV, a repeat's CSV and a media folder
    main = (FIXTURES / "odk" / "screenings_central.csv").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ctip_screening-children.csv", "name,PARENT_KEY,KEY\n")
        archive.writestr("ctip_screening.csv", main)
        archive.writestr("media/photo.jpg", b"\xff\xd8")
    # when
    rows = read_dicts(buffer.getvalue(), "ctip_screening.zip", 10)
    # then
    assert len(rows) == 5 and rows[0][1]["meta-instanceID"].startswith("uuid:")


def test_a_kobo_xlsx_with_dates_stored_as_dates_reads_iso_dates():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["screened_on", "start", "_index"])
    book.active.append([datetime.date(2026, 9, 1), datetime.datetime(2026, 9, 1, 8, 0, 5), 1.0])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_dicts(buffer.getvalue(), "kobo.xlsx", 10)
    assert rows == [
        (2, {"screened_on": "2026-09-01", "start": "2026-09-01T08:00:05", "_index": "1"})
    ]


def test_a_column_named_twice_is_refused_not_half_read():
    from ctip.tabular import FileProblem, read_dicts

    with pytest.raises(FileProblem, match="sex appear more than once"):
        read_dicts(b"name,sex,sex\nA,F,M\n", "people.csv", 10)


# A file is decoded a chunk at a time (ctip.tabular.CHUNK_BYTES): the cases below read it a
# few bytes at a time, so every boundary falls inside a character, a CRLF and a quoted field.
TEXTS = [
    'lieu;n\r\n"Tripoli; vieille ville";1\r\nطرابلس;2\r\n"deux\r\nlignes";3\r\n',
    'place,n\nAgadez,1\n阿加德兹,2\n\n"say ""no""",3\nlast,4',
    "place,n\rold Mac,1\rZuwara,2\r",
    '\ufeffplace,n\r\n"a\nb",1\r\nc,"2"\r\nd,3\n',
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8])
def test_a_file_decoded_a_few_bytes_at_a_time_reads_as_if_whole(monkeypatch, text, chunk):
    monkeypatch.setattr("ctip.tabular.CHUNK_BYTES", chunk)
    delimiter = ";" if text.startswith("lieu") else ","
    expected = list(
        csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter)
    )
    table = read_csv(text.encode())
    assert [table.header, *table.rows] == expected


@pytest.mark.parametrize("chunk", [1, 3, 4, 1024])
def test_an_undecodable_byte_is_named_by_its_line_whatever_the_chunk(monkeypatch, chunk):
    monkeypatch.setattr("ctip.tabular.CHUNK_BYTES", chunk)
    with pytest.raises(FileProblem, match="byte 0xFF on line 4"):
        list(read_csv("place,n\nAgadez,1\nطرابلس,2\n".encode() + b"bad\xff,3\n").rows)


@pytest.mark.parametrize(
    "text", [*TEXTS, 'id;n\r\na;1\r\nb;2\r\n"c\r\nd";3\r\ne;4\r\n', 'id,n\n1,"\rq"\n2,5\n']
)
@pytest.mark.parametrize("batch", [1, 2, 10_000])
def test_the_bulk_copy_holds_every_value_the_reader_reads(monkeypatch, tmp_path, text, batch):
    # given: lines copied as they are and rows rewritten by the csv module, in one file
    import duckdb

    from ctip.statistics.bulk import load_source
    from ctip.tabular import write_csv_file

    monkeypatch.setattr("ctip.tabular.CHUNK_BYTES", 3)
    monkeypatch.setattr("ctip.tabular.BATCH_LINES", batch)
    table = read_csv(text.encode())
    rows = [row + [""] * (len(table.header) - len(row)) for row in table.rows if row]
    # when
    source = write_csv_file(text.encode(), "f.csv", tmp_path / "out.csv")
    duck = duckdb.connect()
    load_source(duck, source)
    copied = duck.execute("SELECT * EXCLUDE (row_no) FROM src ORDER BY row_no").fetchall()
    # then
    assert source.header == table.header
    assert [[value or "" for value in row] for row in copied if any(row)] == rows


class ReadsCounted(io.BytesIO):
    """A file that remembers how much each read asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().read(size)


def test_an_open_file_is_copied_a_chunk_at_a_time_never_whole(tmp_path):
    from ctip.tabular import CHUNK_BYTES, write_csv_file

    lines = "".join(f"person-{n},{n % 90}\n" for n in range(200_000))
    data = ReadsCounted(("id,age\n" + lines).encode())
    source = write_csv_file(data, "big.csv", tmp_path / "out.csv")
    assert source.header == ["id", "age"]
    assert min(data.asked) > 0 and max(data.asked) <= CHUNK_BYTES
    assert (tmp_path / "out.csv").read_text() == '"id","age"\n' + lines


@pytest.mark.parametrize("batch", [1, 2, 10_000])
def test_a_line_wider_than_the_header_is_named_in_the_copy(monkeypatch, tmp_path, batch):
    from ctip.tabular import write_csv_file

    monkeypatch.setattr("ctip.tabular.BATCH_LINES", batch)
    with pytest.raises(FileProblem, match="Row 3 has more cells"):
        write_csv_file(b"id,age\na,1\nb,2,extra\n", "f.csv", tmp_path / "out.csv")
    with pytest.raises(FileProblem, match="Row 3 has more cells"):
        write_csv_file(b'id,age\na,1\n"b",2,"extra"\n', "f.csv", tmp_path / "out.csv")
