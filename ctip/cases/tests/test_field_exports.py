"""Screenings import from KoBoToolbox and ODK Central exports exactly as the tools write them
(files in tests/fixtures/kobo and tests/fixtures/odk), through the real command."""

import io
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from ctip.cases.field_exports import FormFields, as_form_rows
from ctip.cases.models import Screening
from ctip.tabular import FileProblem, read_dicts

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"
FIRST = "3b5c1d8e-0000-4000-8000-000000000001"
THIRD = "3b5c1d8e-0000-4000-8000-000000000003"


def import_screenings(path: Path, entity: str, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_screenings", str(path), "--entity", entity, *args, stdout=out, stderr=err
        )
    except SystemExit as exit_:
        return int(exit_.code or 0), err.getvalue()
    return 0, out.getvalue()


@pytest.mark.parametrize(
    "fixture",
    [
        "kobo/screenings_xml_values_and_headers.csv",
        "kobo/screenings_labels_en.csv",
        "kobo/screenings_labels_fr.csv",
        "kobo/screenings_labels_ar.csv",
        "kobo/screenings_api_v2.json",
        "odk/screenings_central.csv",
        "odk/screenings_odata.json",
    ],
)
def test_each_export_shape_imports_the_same_screenings(actors, fixture):
    # when
    code, output = import_screenings(FIXTURES / fixture, actors.entity.code)
    # then
    assert code == 0, output
    first = Screening.objects.get(submission_id=FIRST)
    assert (first.place, first.setting, first.outcome) == (
        'Camp 3; block "B"',
        "detention",
        "further_assessment",
    )
    assert first.under_18 is True
    assert first.answers == {
        "ilo_forced_labour.documents": "yes",
        "ilo_forced_labour.debt": "unknown",
        "child.married": "no",
    }
    third = Screening.objects.get(submission_id=THIRD)
    assert third.place == "Zuwara\nport" and third.setting == "border"
    assert third.reason.startswith("Row 2: Met at the gate; documents kept by the employer")


def test_the_kobo_export_that_csv_sniffer_corrupted_imports_every_value(actors):
    path = FIXTURES / "kobo" / "screenings_xml_values_and_headers.csv"
    assert import_screenings(path, actors.entity.code)[0] == 0
    assert Screening.objects.count() == 20
    late = Screening.objects.get(submission_id="3b5c1d8e-0000-4000-8000-000000000016")
    assert (late.place, late.screener_name) == ('site "A"', 'Jo "JJ" Smith')
    assert late.reason == 'Row 15: said "later"; left.'


def test_a_dry_run_reports_what_the_import_would_do_and_writes_nothing(actors):
    path = FIXTURES / "odk" / "screenings_central.csv"
    code, output = import_screenings(path, actors.entity.code, "--dry-run")
    assert code == 0 and "5 screenings imported" in output
    assert not Screening.objects.exists()


def test_a_submission_twice_in_one_file_is_an_error_on_the_repeat(actors, tmp_path):
    # given: the ODK export with its second submission sent again at the end
    lines = (FIXTURES / "odk" / "screenings_central.csv").read_bytes().splitlines(keepends=True)
    path = tmp_path / "twice.csv"
    path.write_bytes(b"".join([*lines, lines[2]]))
    # when
    code, output = import_screenings(path, actors.entity.code)
    # then
    assert code == 1
    assert "row 7, column _uuid" in output and "row 3" in output
    assert not Screening.objects.exists()


def test_labels_that_are_not_the_forms_are_named_with_the_export_to_choose(actors, tmp_path):
    data = (FIXTURES / "kobo" / "screenings_labels_fr.csv").read_bytes()
    path = tmp_path / "other_form.csv"
    path.write_bytes(data.replace("Résultat".encode(), b"Conclusion"))
    code, output = import_screenings(path, actors.entity.code)
    assert code == 1
    assert "question labels" in output and "XML values and headers" in output
    assert "outcome" in output
    assert not Screening.objects.exists()


# --- select_multiple, in both export forms ------------------------------------------------------

FORM = FormFields.from_sheets(
    [
        ["type", "name", "label::English (en)", "label::French (fr)", "required"],
        ["begin_group", "g1", "Group", "Groupe", ""],
        ["select_multiple needs", "needs", "Needs", "Besoins", "yes"],
        ["end_group", "g1_end", "", "", ""],
        ["select_one yes_no", "consent", "Consent given", "Consentement donné", "yes"],
    ],
    [
        ["list_name", "name", "label::English (en)", "label::French (fr)"],
        ["needs", "shelter", "Safe shelter", "Abri sûr"],
        ["needs", "medical", "Medical care", "Soins médicaux"],
        ["needs", "legal", "Legal aid", "Aide juridique"],
        ["yes_no", "yes", "Yes", "Oui"],
        ["yes_no", "no", "No", "Non"],
    ],
)


@pytest.mark.parametrize(
    "row",
    [
        {"g1/needs": "shelter legal", "consent": "yes", "_uuid": "u1"},  # KoBo, one column
        {"g1/needs/shelter": "1", "g1/needs/medical": "0", "g1/needs/legal": "1", "consent": "yes"},
        {
            "g1-needs": "shelter legal",
            "g1-needs/shelter": "1",
            "g1-needs/medical": "0",
            "g1-needs/legal": "1",
            "consent": "yes",
            "meta-instanceID": "uuid:u1",
        },  # ODK split
        {
            "needs/shelter": "True",
            "needs/medical": "False",
            "needs/legal": "True",
            "consent": "yes",
        },
        {"Needs": "Safe shelter Legal aid", "Consent given": "Yes"},  # KoBo labels
        {
            "Besoins": "Abri sûr Aide juridique",
            "Besoins/Abri sûr": "1",
            "Besoins/Soins médicaux": "0",
            "Besoins/Aide juridique": "1",
            "Consentement donné": "Oui",
        },
    ],
)
def test_select_multiple_reads_the_same_from_one_column_or_split_columns(row):
    [(_number, converted)] = as_form_rows([(2, row)], FORM)
    assert (converted["needs"], converted["consent"]) == ("shelter legal", "yes")


def test_a_split_column_that_is_not_a_flag_names_row_and_column():
    with pytest.raises(FileProblem) as refused:
        as_form_rows([(5, {"g1/needs/shelter": "maybe", "consent": "yes"})], FORM)
    assert "Row 5, column g1/needs/shelter" in str(refused.value)


def test_a_json_row_reads_like_the_csv_row():
    data = (
        b'{"count": 1, "next": null, "previous": null, '
        b'"results": [{"g1/needs": "legal", "consent": "no"}]}'
    )
    [(_n, converted)] = as_form_rows(read_dicts(data, "kobo.json", 10), FORM)
    assert (converted["needs"], converted["consent"]) == ("legal", "no")


# --- the form, encrypted end to end ------------------------------------------------------------


def test_the_form_carries_a_public_key_that_pyxform_turns_into_encryption(tmp_path):
    from pyxform.xls2xform import convert

    # given: an RSA key pair; only the public half goes into the form
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key_file, out = tmp_path / "key.pem", tmp_path / "form.xlsx"
    key_file.write_bytes(pem)
    # when
    call_command("export_xlsform", "screening", str(out), "--public-key", str(key_file))
    # then
    settings = load_workbook(out)["settings"]
    header, values = (list(r) for r in settings.iter_rows(values_only=True))
    key = values[header.index("public_key")]
    assert "BEGIN" not in key and "\n" not in key
    xform = convert(xlsform=str(out), validate=False).xform
    assert f'base64RsaPublicKey="{key}"' in xform


def test_a_file_that_is_not_a_public_key_is_refused(tmp_path):
    key_file = tmp_path / "key.pem"
    key_file.write_text("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")
    with pytest.raises(CommandError) as refused:
        call_command(
            "export_xlsform", "screening", str(tmp_path / "f.xlsx"), "--public-key", str(key_file)
        )
    assert "PEM" in str(refused.value)
    assert not (tmp_path / "f.xlsx").exists()
