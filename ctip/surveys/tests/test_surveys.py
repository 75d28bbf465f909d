"""Surveys through the services, the pages, the API and the commands, with files shaped
like the tools' exports."""

import io
from pathlib import Path

import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404

from ctip.core.models import AuditEvent
from ctip.core.testing import signed_in_client, token_client
from ctip.surveys import results, services, xlsform
from ctip.surveys.models import Release, Response
from ctip.tabular import read_dicts

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"


def rows_of(name: str):
    path = FIXTURES / name
    if name == "kobo/survey_export.xlsx":  # KoBo's XLSX export: the CSV's table in a workbook
        return read_dicts(
            _as_xlsx(FIXTURES / "kobo" / "survey_xml_values_and_headers.csv"), name, 1000
        )
    return read_dicts(path.read_bytes(), path.name, 1000)


def _as_xlsx(path: Path) -> bytes:
    from openpyxl import Workbook

    rows = read_dicts(path.read_bytes(), path.name, 1000)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(rows[0][1]))
    for _n, row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_survey_needs_known_indicators_and_breakdowns(analyst):
    with pytest.raises(ValidationError) as error:
        services.survey_save(
            actor=analyst,
            entity=analyst.entity,
            raw={"code": "x", "indicators": ["nope"], "breakdowns": ["religion"]},
        )
    assert {"indicators", "breakdowns"} <= set(error.value.message_dict)


def test_a_plain_file_imports_answers_as_bits_in_six_languages(analyst, survey):
    report = services.responses_import(
        survey=survey, rows=rows_of("surveys/responses.csv"), actor=analyst
    )
    assert (report.created, report.errors) == (8, [])
    first = Response.objects.get(respondent_id="R-001")
    assert (first.answered, first.yes) == (0b011, 0b001)  # family question blank
    assert Response.objects.get(respondent_id="R-006").yes == 0b010  # "oui"
    again = services.responses_import(
        survey=survey, rows=rows_of("surveys/responses.csv"), actor=analyst
    )
    assert (again.created, again.already) == (0, 8)


def test_bad_rows_are_named_and_nothing_is_written(analyst, survey):
    rows = rows_of("surveys/responses.csv")
    rows[0][1]["weight"] = "-1"
    rows[1][1]["nationality"] = "XXX"
    rows[2][1]["unpaid_work"] = "maybe"
    rows[3][1]["respondent_id"] = "R-001"
    report = services.responses_import(survey=survey, rows=rows, actor=analyst)
    assert {(e["row"], e["column"]) for e in report.errors} == {
        (2, "weight"),
        (3, "nationality"),
        (4, "unpaid_work"),
        (5, "respondent_id"),
    }
    assert not Response.objects.exists()


def test_a_column_the_survey_does_not_know_is_refused(analyst, survey):
    rows = [(n, {**row, "name": "Aisha"}) for n, row in rows_of("surveys/responses.csv")]
    report = services.responses_import(survey=survey, rows=rows, actor=analyst)
    assert [e["column"] for e in report.errors] == ["name"]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("kobo/survey_xml_values_and_headers.csv", 3),
        ("odk/survey_central.csv", 2),
        ("kobo/survey_api_v2.json", 2),
        ("kobo/survey_export.xlsx", 3),
    ],
)
def test_exports_of_the_form_import_as_they_come(analyst, survey, fixture, expected):
    rows = xlsform.plain_rows(survey, rows_of(fixture), wave="2")
    report = services.responses_import(survey=survey, rows=rows, actor=analyst)
    assert (report.created, report.errors) == (expected, [])
    response = Response.objects.order_by("pk")[0]
    assert response.cluster and response.stratum == response.country_of_interview
    assert response.wave == "2" and response.weight == 1.0
    assert all(len(r.respondent_id) == 36 for r in Response.objects.all())  # uuid: dropped


def test_the_xlsform_converts_with_pyxform_and_asks_no_name(survey):
    from pyxform.xls2xform import convert

    result = convert(
        xlsform=io.BytesIO(xlsform.workbook_bytes(survey)), file_type=".xlsx", validate=False
    )
    for _code, name in xlsform.LANGUAGES:
        assert f'lang="{name}"' in result.xform
    sheet, _choices, _settings = xlsform.rows(survey)
    forced = next(row for row in sheet if row[1] == "forced_work")
    assert forced[2:8] == [
        "Have you been forced to perform work or other activities against your will?",
        "您是否曾被迫违背意愿从事工作或其他活动？",
        "هل أُجبرت على العمل أو القيام بأنشطة أخرى رغماً عنك؟",
        "Avez-vous été forcé(e) à travailler ou à exercer d'autres activités contre votre gré ?",
        "¿Le han obligado a trabajar o a realizar otras actividades en contra de su voluntad?",
        "Принуждали ли вас работать или выполнять другую деятельность против вашей воли?",
    ]
    asked = {row[1] for row in sheet[1:]}
    assert asked == {
        "start",
        "end",
        "interview_point",
        "route",
        "nationality",
        "sex",
        "country_of_interview",
        "unpaid_work",
        "forced_work",
        "family_forced_work",
    }


def test_estimates_overall_and_by_route(analyst, survey):
    services.responses_import(survey=survey, rows=rows_of("surveys/responses.csv"), actor=analyst)
    overall = {e.indicator: e for e in results.survey_estimates(survey)}
    assert set(overall) == {
        "unpaid_work",
        "forced_work",
        "family_forced_work",
        "any",
        "any_direct",
        "any_family",
    }
    # unpaid work: answered by 7 (R-004 blank, weight 2.0 out of 15.0); yes R-001 (1.5) and
    # R-003 (2.0)
    assert overall["unpaid_work"].n == 7
    assert overall["unpaid_work"].prevalence == pytest.approx(3.5 / 13.0, abs=1e-6)
    # any: R-008 has two no and a blank, so it is left out
    assert overall["any"].n == 7
    by_route = {(e.group, e.indicator): e for e in results.survey_estimates(survey, "route")}
    assert by_route[("eastern", "unpaid_work")].prevalence == 0
    assert by_route[("central", "any")].prevalence == pytest.approx(5.5 / 7.0)


def test_publication_keeps_the_release_and_hides_small_groups(
    analyst, focal, survey, other_analyst
):
    services.responses_import(survey=survey, rows=rows_of("surveys/responses.csv"), actor=analyst)
    with pytest.raises(PermissionDenied):
        services.survey_publish(actor=focal, survey=survey)
    with pytest.raises(Http404):
        services.survey_publish(actor=other_analyst, survey=survey)
    release = services.survey_publish(actor=analyst, survey=survey)
    rows = {(r["breakdown"], r["group"], r["indicator"]): r for r in release.rows}
    assert rows[("all", "all", "any")]["n"] == 7
    assert rows[("nationality", "NGA", "any")] == {
        "breakdown": "nationality",
        "group": "NGA",
        "indicator": "any",
        "too_few": True,  # 2 respondents < 3: not even n
    }
    Response.objects.all().delete()
    assert Release.objects.get().rows == release.rows  # kept as published


def test_pages_import_show_and_publish(analyst, survey):
    page = signed_in_client(analyst)
    data = (FIXTURES / "surveys" / "responses.csv").read_bytes()
    shown = page.post(
        f"/surveys/{survey.code}/import/", {"file": SimpleUploadedFile("r.csv", data)}
    )
    assert "8 responses imported" in shown.content.decode()
    detail = page.get(f"/surveys/{survey.code}/?by=route&indicator=any").content.decode()
    assert 'data-group="central"' in detail and "79 %" in detail  # 5.5 / 7
    page.post(f"/surveys/{survey.code}/publish/")
    public = page.get("/public/surveys/").content.decode()
    assert "Test survey" in public and "too few respondents" in public
    body = page.get(f"/surveys/{survey.code}/estimates.csv?by=route").content
    frame = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig")
    assert list(frame.columns) == results.ESTIMATE_COLUMNS
    assert AuditEvent.objects.filter(action="surveys.exported").exists()


def test_another_entity_sees_nothing_but_the_release(analyst, survey, other_analyst):
    stranger = signed_in_client(other_analyst)
    assert stranger.get(f"/surveys/{survey.code}/").status_code == 404
    assert token_client(other_analyst).get("/api/v1/surveys").json() == []
    assert (
        token_client(other_analyst).get(f"/api/v1/surveys/{survey.code}/estimates").status_code
        == 404
    )


def test_commands_define_import_and_estimate(tmp_path, actors):
    out = io.StringIO()
    call_command(
        "create_survey",
        "fms-cli",
        "--indicators",
        "unpaid_work,forced_work,family_forced_work",
        "--breakdowns",
        "route,nationality",
        "--entity",
        actors.entity.code,
        "--min-n",
        "2",
        stdout=out,
    )
    call_command(
        "import_survey",
        str(FIXTURES / "surveys" / "responses.csv"),
        "--survey",
        "fms-cli",
        stdout=out,
    )
    assert "8 responses imported" in out.getvalue()
    target = tmp_path / "est.csv"
    call_command("survey_estimates", "fms-cli", "--by", "route", str(target), stdout=out)
    frame = pd.read_csv(target)
    assert list(frame.columns) == ["group", "indicator", "n", "prevalence", "ci_low", "ci_high"]
    central = frame[(frame.group == "central") & (frame.indicator == "any")].iloc[0]
    assert central.prevalence == pytest.approx(5.5 / 7.0, abs=1e-6)
    assert 0 <= central.ci_low < central.prevalence < central.ci_high <= 1


def test_the_api_gives_estimates_with_intervals(analyst, survey):
    services.responses_import(survey=survey, rows=rows_of("surveys/responses.csv"), actor=analyst)
    api = token_client(analyst)
    found = api.get(f"/api/v1/surveys/{survey.code}/estimates?by=sex").json()
    assert found["by"] == "sex" and {e["group"] for e in found["estimates"]} == {"F", "M"}
    assert api.get(f"/api/v1/surveys/{survey.code}/estimates?by=religion").status_code == 422


def test_the_public_statistics_page_shows_the_survey_estimate_labelled(analyst, survey, client):
    services.responses_import(survey=survey, rows=rows_of("surveys/responses.csv"), actor=analyst)
    services.survey_publish(actor=analyst, survey=survey)
    page = client.get("/public/statistics/").content.decode()
    assert "Survey estimates, not counts" in page
    assert "Test survey" in page and "7 respondents" in page
    title = page.split("<title>")[1].split("</title>")[0]
    assert title == "Published statistics · CTIP"  # the estimates in the page, once, not its tab
    assert page.count('data-testid="survey-estimates"') == 1


def test_waves_and_age_bands_are_in_natural_order(analyst, survey):
    rows = [
        (
            n,
            {
                "respondent_id": f"W{n}",
                "weight": "1",
                "wave": wave,
                "unpaid_work": "yes",
                "forced_work": "",
                "family_forced_work": "",
            },
        )
        for n, wave in enumerate(["10", "2", "1", "2"], start=2)
    ]
    assert services.responses_import(survey=survey, rows=rows, actor=analyst).created == 4
    groups = [e.group for e in results.survey_estimates(survey, "wave") if e.indicator == "any"]
    assert groups == ["1", "2", "10"]


def test_an_export_of_another_form_is_refused_saying_where_the_form_is(survey):
    from ctip.tabular import FileProblem

    with pytest.raises(FileProblem, match=r"/surveys/fms-test/form\.xlsx"):
        xlsform.plain_rows(survey, rows_of("kobo/screenings_xml_values_and_headers.csv"))
