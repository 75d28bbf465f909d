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
