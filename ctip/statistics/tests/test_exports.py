import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from openpyxl import load_workbook

from ctip.statistics import services
from ctip.statistics.importing import import_file
from ctip.statistics.models import Submission
from ctip.statistics.tests.conftest import ctip_csv

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"


@pytest.fixture
def published(mission, round_2025, analyst):
    base = {"year_of_identification": 2025, "country_of_detection": "IRQ"}
    rows = [{**base, "sex": "F", "citizenship": "SYR"}] * 12 + [{**base, "sex": "M"}] * 3
    assert import_file(
        actor=mission["focal_point"],
        entity=mission["entity"],
        round_=round_2025,
        data=ctip_csv(rows),
        filename="f.csv",
    ).ok
    submission = Submission.objects.get()
    services.submission_submit(actor=mission["focal_point"], submission=submission)
    services.submission_validate(actor=analyst, submission=submission)
    services.round_publish(actor=analyst, round_=round_2025)
    return round_2025


def read_csv(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_public_unodc_export_has_its_exact_columns_and_hides_small_cells(published, tmp_path):
    out = tmp_path / "unodc.csv"
    call_command("export_statistics", str(out), "--round", "2025", "--format", "unodc", "--public")
    rows = read_csv(out)
    assert rows[0] == [
        "Iso3_code",
        "Country",
        "Region",
        "Subregion",
        "Indicator",
        "Dimension",
        "Category",
        "Sex",
        "Age",
        "Year",
        "Unit of measurement",
        "txtVALUE",
        "Source",
    ]
    by_key = {(r[0], r[4], r[7], r[8], r[5], r[6]): r[11] for r in rows[1:]}
    assert (
        by_key[("IRQ", "Detected trafficking victims", "Total", "Total", "Total", "Total")] == "15"
    )
    assert (
        by_key[("IRQ", "Detected trafficking victims", "Male", "Total", "Total", "Total")] == "<5"
    )
    assert all(r[1] == "Iraq" and r[2] == "Asia" and r[3] == "Western Asia" for r in rows[1:])


def test_internal_export_is_unsuppressed_and_sdmx_marks_confidential_cells(published, tmp_path):
    internal = tmp_path / "internal.csv"
    call_command("export_statistics", str(internal), "--round", "2025", "--format", "csv")
    values = {
        (r[0], r[3], r[5], r[6]): r[8]
        for r in read_csv(internal)[1:]
        if r[2] == "Detected trafficking victims" and r[4] == "_T"
    }
    assert values[("IRQ", "M", "Total", "Total")] == "3"
    sdmx_path = tmp_path / "sdmx.csv"
    call_command(
        "export_statistics", str(sdmx_path), "--round", "2025", "--format", "sdmx-csv", "--public"
    )
    rows = read_csv(sdmx_path)
    assert rows[0][:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    male = next(r for r in rows[1:] if r[4] == "368" and r[6] == "M" and r[7] == "_T")
    assert (male[9], male[11]) == ("NaN", "A")  # 3 men: fewer than 5
    female = next(r for r in rows[1:] if r[4] == "368" and r[6] == "F" and r[7] == "_T")
    assert (female[9], female[11]) == ("NaN", "D")  # 12 women, hidden so that 15 - 12 stays
    # sdmx1 reads the hidden cells as missing values, with their confidentiality status
    from ctip.statistics.sdmx import dsd_xml
    from ctip.statistics.tests.test_sdmx import sdmx1_observations

    (tmp_path / "dsd.xml").write_text(dsd_xml(), encoding="utf-8")
    observations = sdmx1_observations(sdmx_path, tmp_path / "dsd.xml")
    hidden = [o for o in observations if o.attached_attribute["CONF_STATUS"].value != "F"]
    assert len(observations) == len(rows) - 1 and hidden
    assert {str(o.value) for o in hidden} == {"NaN"}  # no number for a hidden cell


def test_hxl_and_xlsx(published, tmp_path):
    hxl = tmp_path / "hxl.csv"
    call_command("export_statistics", str(hxl), "--round", "2025", "--format", "hxl", "--public")
    assert read_csv(hxl)[1][0] == "#country+code"
    xlsx = tmp_path / "out.xlsx"
    call_command("export_statistics", str(xlsx), "--round", "2025", "--format", "xlsx", "--public")
    sheet = load_workbook(xlsx)["data"]
    assert [c.value for c in sheet[1]][:3] == ["area_code", "area", "indicator"]


def test_public_export_needs_a_release(round_2025, tmp_path):
    with pytest.raises(CommandError, match="no published release"):
        call_command("export_statistics", str(tmp_path / "x.csv"), "--round", "2025", "--public")


def test_the_sdmx_csv_follows_the_shipped_structure(published, tmp_path):
    from defusedxml import ElementTree

    from ctip.statistics.sdmx import DIMENSIONS, DSD_ID

    call_command(
        "export_statistics", str(tmp_path / "dsd.xml"), "--round", "2025", "--format", "sdmx-dsd"
    )
    root = ElementTree.parse(tmp_path / "dsd.xml").getroot()
    structures = [e for e in root.iter() if e.tag.endswith("}DataStructure")]
    assert [s.get("id") for s in structures] == [DSD_ID]
    dimensions = [
        e.get("id")
        for e in root.iter()
        if e.tag.endswith("}Dimension") or e.tag.endswith("}TimeDimension")
    ]
    assert dimensions == DIMENSIONS
    areas = {
        e.get("id")
        for cl in root.iter()
        if cl.tag.endswith("}Codelist") and cl.get("id") == "CL_AREA"
        for e in cl
        if e.tag.endswith("}Code")
    }
    call_command(
        "export_statistics",
        str(tmp_path / "s.csv"),
        "--round",
        "2025",
        "--format",
        "sdmx-csv",
        "--public",
    )
    rows = read_csv(tmp_path / "s.csv")
    assert rows[1][:2] == ["dataflow", "CTIP:DF_GLOTIP(1.0)"]
    assert {r[4] for r in rows[1:]} <= areas
    assert Client().get("/public/statistics/sdmx-dsd.xml").status_code == 200


def test_hxl_is_read_by_libhxl_with_countries_and_regions_apart(published, tmp_path):
    import hxl
    from hxl.input import InputOptions

    # given the published 2025 release
    out = tmp_path / "hxl.csv"
    # when it is exported as HXL
    call_command("export_statistics", str(out), "--round", "2025", "--format", "hxl", "--public")
    # then there is no byte-order mark, and libhxl reads the standard's tags
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
    dataset = hxl.data(str(out), InputOptions(allow_local=True)).cache()
    assert [str(column.get_display_tag(sort_attributes=False)) for column in dataset.columns] == [
        "#country+code",
        "#country+name",
        "#region+code",
        "#region+name",
        "#indicator+name",
        "#meta+sex",
        "#meta+age",
        "#meta+dimension",
        "#meta+category",
        "#date+year",
        "#indicator+num",
        "#status+code",
    ]

    def cell(row, tag):  # libhxl reads an empty cell as None
        return row.get(tag) or ""

    victims = [
        row
        for row in dataset
        if cell(row, "#indicator+name") == "Detected trafficking victims"
        and cell(row, "#meta+dimension") == "Total"
        and cell(row, "#meta+age") == "_T"
    ]
    by_area = {
        (cell(row, "#country+code"), cell(row, "#region+code"), cell(row, "#meta+sex")): (
            cell(row, "#indicator+num"),
            cell(row, "#status+code"),
        )
        for row in victims
    }
    # a country by its ISO alpha-3 code, with no region code; a hidden cell has no number
    assert by_area[("IRQ", "", "_T")] == ("15", "F")
    assert by_area[("IRQ", "", "M")] == ("", "A")
    assert next(r for r in victims if cell(r, "#country+code") == "IRQ").get("#country+name") == (
        "Iraq"
    )
    # Western Asia, Asia and the world by their M49 codes, with no country code
    assert by_area[("", "145", "_T")] == ("15", "F")
    assert by_area[("", "001", "_T")] == ("15", "F")
    world = next(r for r in victims if cell(r, "#region+code") == "001")
    assert (cell(world, "#region+name"), cell(world, "#date+year")) == ("World", "2025")
    # and HXL's own checks find no error (numbers are numbers, dates are dates)
    errors: list = []
    hxl.schema(callback=errors.append).validate(dataset)
    assert not [e for e in errors if e.rule.severity == "error"], errors


def test_the_dataunodc_export_speaks_dataunodc_and_round_trips(mission, round_2025, analyst):
    from ctip.statistics.exports import export_statistics
    from ctip.statistics.models import AggregateValue

    fixture = FIXTURES / "dataunodc" / "glotip_irq_2025.csv"

    def export() -> bytes:
        services.submission_submit(
            actor=mission["focal_point"], submission=Submission.objects.get()
        )
        data, _type, _name = export_statistics(
            actor=analyst, round_=round_2025, fmt="unodc", public=False
        )
        services.submission_return(actor=analyst, submission=Submission.objects.get(), comment="x")
        return data

    def load(data: bytes):
        return import_file(
            actor=mission["focal_point"],
            entity=mission["entity"],
            round_=round_2025,
            data=data,
            filename="glotip.csv",
        )

    def stored() -> set:
        return set(
            AggregateValue.objects.values_list(
                "indicator", "sex", "age", "dimension", "category", "value"
            )
        )

    # given Iraq's figures from UNODC's GLOTIP file
    assert load(fixture.read_bytes()).ok
    cells = stored()
    # when they are exported in the dataUNODC layout and imported again
    first = export()
    again = load(first)
    # then the file says what dataUNODC's says, in its words (not CTIP's codes) ...
    columns = ["Indicator", "Dimension", "Category", "Sex", "Age", "txtVALUE"]
    given = {tuple(r[c] for c in columns) for r in csv.DictReader(io.StringIO(fixture.read_text()))}
    written = {
        tuple(r[c] for c in columns) for r in csv.DictReader(io.StringIO(first.decode("utf-8-sig")))
    }
    assert written == given
    assert {"Sexual exploitation", "Forced labour", "Other purposes", "Forced marriage"} <= {
        row[2] for row in written
    }
    # ... and the round trip changes nothing: no new cell, the same values, the same bytes
    assert again.ok and (again.created, again.updated) == (0, len(cells))
    assert stored() == cells
    assert export() == first
