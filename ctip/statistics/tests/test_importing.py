import io
import uuid

import pytest
from openpyxl import Workbook

from ctip.statistics.importing import import_file
from ctip.statistics.models import AggregateValue, Submission, VictimRecord
from ctip.statistics.tests.conftest import ctip_csv

pytestmark = pytest.mark.django_db

GOOD = {
    "year_of_identification": 2025,
    "country_of_detection": "IRQ",
    "citizenship": "SYR",
    "sex": "F",
    "age_band": "9--17",
    "forms_of_exploitation": "SexualExploitation;ForcedMarriage",
    "means_of_control": "DebtBondage",
    "trafficking_status": "ActualVictimOfTrafficking",
    "displacement_status": "refugee",
    "armed_group_involved": "1",
}


def run(mission, round_, data, filename="records.csv", **kwargs):
    return import_file(
        actor=mission["focal_point"],
        entity=mission["entity"],
        round_=round_,
        data=data,
        filename=filename,
        **kwargs,
    )


def test_a_good_file_creates_records_and_their_submission(mission, round_2025):
    rows = [
        GOOD,
        {
            **GOOD,
            "sex": "M",
            "age_band": "30--38",
            "citizenship": "IRQ",
            "forms_of_exploitation": "ForcedLabour",
        },
    ]
    result = run(mission, round_2025, ctip_csv(rows))
    assert result.ok, result.as_dict()
    assert (result.layout, result.rows, result.created) == ("ctip", 2, 2)
    submission = Submission.objects.get()
    assert submission.country_of_detection_id == "IRQ" and submission.status == "draft"
    girl = VictimRecord.objects.get(sex="F")
    assert (girl.age_group, girl.citizenship_id, girl.armed_group_involved) == (
        "Y0T17",
        "SYR",
        True,
    )
    assert girl.forms == ["ForcedMarriage", "SexualExploitation"]
    assert girl.means == ["DebtBondage"]
    assert submission.events.filter(kind="imported").exists()


def test_dry_run_checks_and_writes_nothing(mission, round_2025):
    result = run(mission, round_2025, ctip_csv([GOOD]), dry_run=True)
    assert result.ok and result.rows == 1
    assert not Submission.objects.exists() and not VictimRecord.objects.exists()


def test_every_bad_row_is_reported_and_nothing_is_written(mission, round_2025):
    rows = [
        GOOD,
        {**GOOD, "year_of_identification": 2024},
        {**GOOD, "country_of_detection": "XYZ"},
        {**GOOD, "sex": "=cmd|'/c calc'!A1"},
        {**GOOD, "forms_of_exploitation": "Slavery"},
        {**GOOD, "armed_group_involved": "maybe"},
    ]
    result = run(mission, round_2025, ctip_csv(rows))
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "year_of_identification"),
        (4, "country_of_detection"),
        (5, "sex"),
        (6, "forms_of_exploitation"),
        (7, "armed_group_involved"),
    }
    year_error = next(e for e in result.errors if e.column == "year_of_identification")
    assert year_error.value == "2024" and "2025" in year_error.expected
    assert not VictimRecord.objects.exists() and not Submission.objects.exists()


def test_importing_the_same_file_twice_changes_nothing(mission, round_2025):
    record_id = str(uuid.uuid4())
    data = ctip_csv([{**GOOD, "record_id": record_id}])
    run(mission, round_2025, data)
    again = run(mission, round_2025, data)
    assert (again.created, again.updated) == (0, 1)
    assert VictimRecord.objects.count() == 1


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_and_utf16_files_are_read(mission, round_2025, encoding):
    text = ctip_csv([GOOD]).decode()
    result = run(mission, round_2025, text.encode(encoding))
    assert result.ok, result.as_dict()


def test_latin1_is_refused_with_the_line(mission, round_2025):
    data = ctip_csv([GOOD]) + "2025,IRQ,SYR,F,9--17,,,,,,Région,,,\n".encode("latin-1")
    result = run(mission, round_2025, data)
    assert "not UTF-8" in result.file_problem and "line 3" in result.file_problem
    assert not VictimRecord.objects.exists()


def test_semicolon_csv_and_unknown_layouts(mission, round_2025):
    text = (
        ctip_csv([GOOD])
        .decode()
        .replace(",", ";")
        .replace("SexualExploitation;ForcedMarriage", "SexualExploitation")
    )
    assert run(mission, round_2025, text.encode()).ok
    unknown = run(mission, round_2025, b"name,address\nx,y\n")
    assert "known layout" in unknown.file_problem


def test_broken_and_binary_files_get_a_clear_message(mission, round_2025):
    assert run(mission, round_2025, b"").file_problem
    assert "NUL" in run(mission, round_2025, b"a,b\x00\n").file_problem
    assert "XLSX" in run(mission, round_2025, b"PK\x03\x04garbage", "x.xlsx").file_problem


def test_xlsx_import(mission, round_2025):
    from ctip.statistics.layouts import CTIP_COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(CTIP_COLUMNS)
    sheet.append([GOOD.get(c) for c in CTIP_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(mission, round_2025, buffer.getvalue(), "records.xlsx")
    assert result.ok, result.as_dict()
    assert VictimRecord.objects.get().year_of_identification == 2025


CTDC_2024 = (
    "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,traffickMonths,"
    "meansDebtBondageEarnings,meansThreats,meansAbusePsyPhySex,meansFalsePromises,"
    "meansDrugsAlcohol,meansDenyBasicNeeds,meansExcessiveWorkHours,meansWithholdDocs,"
    "isForcedLabour,isSexualExploit,isOtherExploit,typeOfLabourAgriculture,"
    "typeOfLabourConstruction,typeOfLabourDomesticWork,typeOfLabourHospitality,"
    "typeOfSexProstitution,typeOfSexPornography,recruiterRelationIntimatePartner,"
    "recruiterRelationFriend,recruiterRelationFamily,recruiterRelationOther\n"
)


def test_ctdc_2024_layout_is_detected_and_mapped(mission, round_2025):
    data = (
        CTDC_2024
        + "2025,Woman,18--20,UKR,POL,,1,,1,,,,,,,1,,,,,,1,,,,1,\n"
        + "2025,Man,30--38,NULL,POL,,,,,,,,,,1,,,,,,,,,,,,1\n"
        + "2025,Man,30--38,NULL,POL,,,,,,,,,,1,,,,,,,,,,,,1\n"
    ).encode()
    result = run(mission, round_2025, data, "ctdc.csv")
    assert result.ok and result.layout == "ctdc", result.as_dict()
    woman = VictimRecord.objects.get(sex="F")
    assert (woman.age_band, woman.citizenship_id, woman.recruiter_relation) == (
        "18--20",
        "UKR",
        "Familial",
    )
    assert woman.means == sorted(
        ["DebtBondage", "TakesEarnings", "PsychologicalAbuse", "PhysicalAbuse", "SexualAbuse"]
    )
    assert woman.forms == ["SexualExploitation"]
    assert VictimRecord.objects.filter(sex="M").count() == 2  # identical rows are two people
    assert run(mission, round_2025, data, "ctdc.csv").created == 0


def test_unodc_long_format_rows_become_table_cells(mission, round_2025):
    header = ",".join(
        [
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
    )
    place = "NGA,Nigeria,Africa,Sub-Saharan Africa"
    rows = [
        f"{place},Detected trafficking victims,Total,Total,Total,Total,2025,Counts,120,NAPTIP",
        f"{place},Detected trafficking victims,Total,Total,Female,Total,2025,Counts,80,NAPTIP",
        f"{place},Persons convicted,Total,Total,Total,Total,2025,Counts,,NAPTIP",
    ]
    result = run(mission, round_2025, "\n".join([header, *rows]).encode(), "unodc.csv")
    assert result.ok and result.layout == "unodc", result.as_dict()
    convicted = AggregateValue.objects.get(indicator="Persons convicted")
    assert (convicted.value, convicted.value_status) == (None, "not_reported")
    bad = run(
        mission,
        round_2025,
        "\n".join([header, rows[0].replace(",120,", ",99999999999,")]).encode(),
        "unodc.csv",
    )
    assert [(e.row, e.column) for e in bad.errors] == [(2, "txtVALUE")]


def test_a_submitted_submission_refuses_new_data(mission, round_2025):
    run(mission, round_2025, ctip_csv([GOOD]))
    Submission.objects.update(status="submitted")
    result = run(mission, round_2025, ctip_csv([{**GOOD, "sex": "M"}]))
    assert "IRQ" in result.file_problem and VictimRecord.objects.count() == 1


def test_a_record_id_twice_in_one_file_is_an_error_on_the_later_row(mission, round_2025):
    record_id = str(uuid.uuid4())
    rows = [{**GOOD, "record_id": record_id}, GOOD, {**GOOD, "record_id": record_id.upper()}]
    result = run(mission, round_2025, ctip_csv(rows))
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (4, "record_id", record_id.upper())
    ]
    assert not VictimRecord.objects.exists()


def test_one_bad_code_in_a_list_names_the_list_and_rows_keep_their_numbers(mission, round_2025):
    rows = [GOOD] * 3 + [{**GOOD, "forms_of_exploitation": "ForcedLabour;Slavery"}] + [GOOD]
    result = run(mission, round_2025, ctip_csv(rows))
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (5, "forms_of_exploitation", "ForcedLabour;Slavery")
    ]
    assert "ForcedLabour" in result.errors[0].expected


def test_labels_aliases_and_commas_are_read_as_codes(mission, round_2025):
    row = {
        **GOOD,
        "sex": "female",
        "age_band": "9-17",
        "forms_of_exploitation": '"forced labour, ForcedLabour, Sexual exploitation"',
        "armed_group_involved": "oui",
    }
    result = run(mission, round_2025, ctip_csv([row]))
    assert result.ok, result.as_dict()
    record = VictimRecord.objects.get()
    assert (record.sex, record.age_band, record.armed_group_involved) == ("F", "9--17", True)
    assert record.forms == ["ForcedLabour", "SexualExploitation"]


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        ('2025,IRQ,"SYR\n', "line 3"),  # a quote never closed
        ("2025,IRQ,SYR,F,9--17,,,,,,,,,,,,,extra\n", "Row 3 has more cells than the header"),
    ],
)
def test_broken_rows_are_refused_with_where(mission, round_2025, tail, message):
    data = ctip_csv([GOOD]) + tail.replace("2025,IRQ", ",2025,IRQ").encode()
    result = run(mission, round_2025, data)
    assert result.file_problem and message in result.file_problem, result.as_dict()
    assert not VictimRecord.objects.exists()


def test_an_overlong_cell_and_injection_strings_are_errors_not_data(mission, round_2025):
    rows = [
        {**GOOD, "citizenship": "X" * 20_000},
        {**GOOD, "conflict_situation": "'; DROP TABLE statistics_victimrecord; --"},
    ]
    result = run(mission, round_2025, ctip_csv(rows))
    found = {(e.row, e.column) for e in result.errors}
    assert {(2, "citizenship"), (3, "conflict_situation")} <= found
    assert all(len(e.as_dict()["value"]) <= 200 for e in result.errors)
    assert VictimRecord.objects.count() == 0


def test_ctdc_merged_columns_give_each_code_once(mission, round_2025):
    data = (
        b"yearOfRegistration,gender,ageBroad,CountryOfExploitation,"
        b"meansWithholdDocs,meansWithholdDocuments,isForcedLabour\n"
        b"2025,Woman,18--20,POL,1,true,1\n"
        b"2025,Woman,18--20,POL,2,,1\n"
    )
    result = run(mission, round_2025, data, "ctdc.csv")
    assert [(e.row, e.column) for e in result.errors] == [(3, "meansWithholdDocs")]
    good = run(mission, round_2025, data.rsplit(b"2025", 1)[0], "ctdc.csv")
    assert good.ok, good.as_dict()
    assert VictimRecord.objects.get().means == ["WithholdsDocuments"]
