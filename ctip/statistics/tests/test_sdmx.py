"""SDMX: the structure message, the SDMX-CSV export, and SDMX-CSV from statistical offices."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from lxml import etree

from ctip.statistics import services
from ctip.statistics.exports import export_statistics
from ctip.statistics.importing import import_file
from ctip.statistics.models import AggregateValue, Submission
from ctip.statistics.sdmx import DATAFLOW_ID, DSD_ID, SERIES, dsd_xml

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"
SCHEMA = FIXTURES / "sdmx" / "schemas" / "SDMXMessage.xsd"


def sdmx1_structures(path: Path):  # type: ignore[no-untyped-def]
    """The structure message as sdmx1 reads it."""
    import sdmx

    message = sdmx.read_sdmx(path)
    assert isinstance(message, sdmx.message.StructureMessage)
    return message


def sdmx1_observations(path: Path, structures: Path) -> list:
    """The observations of an SDMX-CSV file as sdmx1 reads it against CTIP's dataflow."""
    import sdmx

    flow = sdmx1_structures(structures).dataflow[DATAFLOW_ID]
    message = sdmx.read_sdmx(path, structure=flow)
    assert isinstance(message, sdmx.message.DataMessage)
    return [o for ds in message.data for o in ds.obs]


def cells() -> set[tuple]:
    return set(
        AggregateValue.objects.values_list(
            "submission__country_of_detection_id",
            "indicator",
            "sex",
            "age",
            "dimension",
            "category",
            "value",
            "value_status",
        )
    )


def import_fixture(mission, round_, path: Path):
    return import_file(
        actor=mission["focal_point"],
        entity=mission["entity"],
        round_=round_,
        data=path.read_bytes(),
        filename=path.name,
    )


@pytest.fixture
def submitted(mission, round_2025):
    """Iraq's 2025 tables as UNODC's GLOTIP file has them, submitted."""
    assert import_fixture(mission, round_2025, FIXTURES / "dataunodc" / "glotip_irq_2025.csv").ok
    services.submission_submit(actor=mission["focal_point"], submission=Submission.objects.get())
    return round_2025


def test_the_structure_message_is_valid_sdmx_ml_3_0_with_a_time_dimension(reference_data):
    # given the official SDMX-ML 3.0 schemas
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    # when CTIP writes its structures
    root = etree.fromstring(dsd_xml().encode())
    # then the message validates, strictly, and TIME_PERIOD is the time dimension
    assert schema.validate(root), [e.message for e in schema.error_log]
    ns = {"s": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/structure"}
    assert root.xpath("//s:DimensionList/s:TimeDimension/@id", namespaces=ns) == ["TIME_PERIOD"]
    assert "TIME_PERIOD" not in root.xpath("//s:DimensionList/s:Dimension/@id", namespaces=ns)
    flows = root.xpath("//s:Dataflow", namespaces=ns)
    assert [f.get("id") for f in flows] == [DATAFLOW_ID]
    assert flows[0].findtext("s:Structure", namespaces=ns).endswith(f"CTIP:{DSD_ID}(1.0)")


def test_sdmx1_and_pysdmx_read_the_structures(reference_data, tmp_path):
    from pysdmx.io import read_sdmx

    # given the structure message as the public page and the command give it
    response = Client().get("/public/statistics/sdmx-dsd.xml")
    assert response.status_code == 200
    path = tmp_path / "dsd.xml"
    call_command("export_statistics", str(path), "--round", "2025", "--format", "sdmx-dsd")
    assert path.read_bytes().count(b"<str:Dataflow ") == response.content.count(b"<str:Dataflow ")
    # when sdmx1 reads it
    message = sdmx1_structures(path)
    dsd = message.structure[DSD_ID]
    # then the time dimension is one, and the dataflow points at the DSD
    assert type(dsd.dimensions.get("TIME_PERIOD")).__name__ == "TimeDimension"
    assert message.dataflow[DATAFLOW_ID].structure is dsd
    series = {code.id for code in message.codelist["CL_SERIES"]}
    assert {"VC_HTF_DETV", "VC_HTF_DETVFL", "VC_HTF_DETVSX", "VC_HTF_DETVOP"} <= series
    assert {"CTIP_HTF_PROS", "CTIP_HTF_CONV"} <= series
    # and pysdmx reads it with schema validation on
    structures = read_sdmx(str(path), validate=True)
    assert [f.id for f in structures.get_dataflows()] == [DATAFLOW_ID]
    dimensions = structures.get_data_structure_definitions()[0].components.dimensions
    assert dimensions[-1].id == "TIME_PERIOD"
    assert dimensions[-1].dtype.value == "ObservationalTimePeriod"


def test_the_sdmx_csv_has_every_series_and_sdmx1_reads_it_with_the_dataflow(
    submitted, analyst, tmp_path
):

    # given Iraq's submitted tables
    # when the analyst exports SDMX-CSV
    data, _type, _name = export_statistics(
        actor=analyst, round_=submitted, fmt="sdmx-csv", public=False
    )
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    # then every series CTIP holds is there, with its numbers, for Iraq (M49 368)
    iraq = {
        (r["SERIES"], r["SEX"], r["AGE"]): r["OBS_VALUE"] for r in rows if r["REF_AREA"] == "368"
    }
    assert iraq == {
        ("VC_HTF_DETV", "_T", "_T"): "40",
        ("VC_HTF_DETV", "F", "_T"): "25",
        ("VC_HTF_DETV", "M", "_T"): "15",
        ("VC_HTF_DETV", "_T", "Y0T17"): "10",
        ("VC_HTF_DETV", "_T", "Y_GE18"): "30",
        ("VC_HTF_DETVSX", "_T", "_T"): "20",
        ("VC_HTF_DETVFL", "_T", "_T"): "15",
        ("VC_HTF_DETVOP", "_T", "_T"): "5",
        ("CTIP_HTF_PROS", "_T", "_T"): "12",
        ("CTIP_HTF_CONV", "_T", "_T"): "7",
    }
    assert {r["STRUCTURE_ID"] for r in rows} == {"CTIP:DF_GLOTIP(1.0)"}
    # and sdmx1 reads the file against the published dataflow: every code is in its codelist
    structure = tmp_path / "dsd.xml"
    structure.write_text(dsd_xml(), encoding="utf-8")
    flow = sdmx1_structures(structure).dataflow[DATAFLOW_ID]
    (tmp_path / "data.csv").write_bytes(data)
    observations = sdmx1_observations(tmp_path / "data.csv", structure)
    assert len(observations) == len(rows)
    codelists = {d.id: d.local_representation.enumerated for d in flow.structure.dimensions}
    for row in rows:
        for dimension in ("FREQ", "REF_AREA", "SERIES", "SEX", "AGE"):
            assert row[dimension] in codelists[dimension], (dimension, row[dimension])


def test_the_sdg_file_of_a_statistical_office_gives_the_cells_of_the_dataunodc_file(
    mission, round_2025
):
    # given the same Iraq figures as dataUNODC publishes them and as an SDG SDMX-CSV 1.0
    assert import_fixture(mission, round_2025, FIXTURES / "dataunodc" / "glotip_irq_2025.csv").ok
    sdg = {key for key, (code, _name) in SERIES.items() if code.startswith("VC_HTF_")}
    from_unodc = {c for c in cells() if (c[1], c[4], c[5]) in sdg}
    AggregateValue.objects.all().delete()
    # when the SDMX-CSV is imported
    result = import_fixture(mission, round_2025, FIXTURES / "sdmx" / "sdg_glh_irq_2025.csv")
    # then it is read as SDMX-CSV and gives exactly the same cells
    assert result.ok, result.as_dict()
    assert (result.layout, result.created) == ("sdmx-csv", 8)
    assert cells() == from_unodc


def test_an_sdmx_csv_2_0_with_labels_and_ctip_series(mission, round_2025):
    result = import_fixture(mission, round_2025, FIXTURES / "sdmx" / "ctip_irq_2025_labels.csv")
    assert result.ok, result.as_dict()
    assert cells() == {
        ("IRQ", "Detected trafficking victims", "_T", "_T", "Total", "Total", 40, "reported"),
        ("IRQ", "Persons prosecuted", "_T", "_T", "Total", "Total", 12, "reported"),
        ("IRQ", "Persons convicted", "_T", "_T", "Total", "Total", 7, "reported"),
        (
            "IRQ",
            "Persons brought into formal contact",
            "_T",
            "_T",
            "Total",
            "Total",
            None,
            "not_reported",
        ),
    }


def test_bad_sdmx_rows_are_named_and_nothing_is_written(mission, round_2025):
    # given a file with one good row and two bad ones
    # when it is imported
    result = import_fixture(mission, round_2025, FIXTURES / "sdmx" / "bad_rows.csv")
    # then each problem names its row and column, and nothing is written, not even the good row
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "SERIES"),
        (3, "OBS_VALUE"),
        (3, "UNIT_MEASURE"),
        (4, "REF_AREA"),
        (4, "SEX"),
        (4, "OBS_VALUE"),
        (4, "TIME_PERIOD"),
    }
    assert not AggregateValue.objects.exists() and not Submission.objects.exists()


def test_sdmx_csv_round_trip_changes_nothing(submitted, mission, analyst):
    # given Iraq's cells and their SDMX-CSV export
    before = cells()
    data, _type, _name = export_statistics(
        actor=analyst, round_=submitted, fmt="sdmx-csv", public=False
    )
    services.submission_return(actor=analyst, submission=Submission.objects.get(), comment="x")
    only_iraq = b"\n".join(
        line for line in data.splitlines() if b",368," in line or line.startswith(b"STRUCTURE,")
    )
    # when the export is imported again
    result = import_file(
        actor=mission["focal_point"],
        entity=mission["entity"],
        round_=submitted,
        data=only_iraq,
        filename="back.csv",
    )
    # then every cell is matched, none is new, and the figures are the same
    assert result.ok, result.as_dict()
    assert (result.created, result.updated) == (0, 10)
    assert cells() == before


def test_a_sender_s_multiplier_or_confidential_flag_is_never_read_as_a_free_count(
    mission, round_2025, tmp_path
):
    # given rows in thousands, and a row the sender marked not for publication
    header = "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,SERIES,SEX,AGE,TIME_PERIOD,OBS_VALUE"
    rows = [
        f"{header},UNIT_MULT,CONF_STATUS",
        "dataflow,IAEG-SDGs:DF_SDG_GLH(1.20),I,A,368,VC_HTF_DETV,_T,_T,2025,40,3,F",
        "dataflow,IAEG-SDGs:DF_SDG_GLH(1.20),I,A,368,VC_HTF_DETV,F,_T,2025,7,,N",
    ]
    path = tmp_path / "office.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    # when
    result = import_fixture(mission, round_2025, path)
    # then neither is taken: both are named, and nothing is written
    assert {(e.row, e.column) for e in result.errors} == {(2, "UNIT_MULT"), (3, "CONF_STATUS")}
    assert not AggregateValue.objects.exists()
