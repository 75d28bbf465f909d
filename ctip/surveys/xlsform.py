"""A survey's questionnaire as an XLSForm (six languages) for KoBoToolbox and ODK Collect,
and the way back: an export of it as rows of the plain responses file.

The form asks no name and nothing else that identifies: the breakdown questions the survey
offers, the interview point (the cluster), and one yes / no / no answer question per
indicator. The weight is 1 (the design's weights come with the plain file); the stratum is
the country of interview.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ctip.cases.field_exports import FormFields, as_form_rows
from ctip.cases.services.screening import submission_id
from ctip.cases.xlsform import LANGUAGES, labels, sheets_to_xlsx
from ctip.core.codes import AgeBand
from ctip.surveys.codes import DTM_INDICATORS, Breakdown
from ctip.surveys.models import Indicator, Survey

VERSION = "2026120401"
NO_ANSWER = "no_answer"
BREAKDOWN_QUESTIONS: dict[str, tuple[str, Any]] = {
    Breakdown.ROUTE: ("text", _("Which route did you travel?")),
    Breakdown.NATIONALITY: ("text", _("Nationality (ISO alpha-3)")),
    Breakdown.SEX: ("select_one sex", _("Sex")),
    Breakdown.AGE_BAND: ("select_one age_band", _("Age")),
    Breakdown.COUNTRY: ("text", _("Country of interview (ISO alpha-3)")),
}


def _question(indicator: Indicator) -> Any:
    built_in = DTM_INDICATORS.get(indicator.code)
    return built_in[0] if built_in and indicator.built_in else indicator.question


def rows(survey: Survey) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    label_headers = [f"label::{name}" for _code, name in LANGUAGES]
    survey_sheet: list[list[Any]] = [["type", "name", *label_headers, "required"]]

    def add(kind: str, name: str, label: Any = "", required: str = "") -> None:
        texts = labels(label) if label else [""] * len(LANGUAGES)
        survey_sheet.append([kind, name, *texts, required])

    add("start", "start")
    add("end", "end")
    add("text", "interview_point", _("Interview point"), "yes")
    for name in survey.breakdowns:
        if name in BREAKDOWN_QUESTIONS:
            kind, label = BREAKDOWN_QUESTIONS[name]
            add(kind, name, label, "yes" if name == Breakdown.COUNTRY else "")
    if Breakdown.COUNTRY not in survey.breakdowns:
        kind, label = BREAKDOWN_QUESTIONS[Breakdown.COUNTRY]
        add(kind, Breakdown.COUNTRY, label, "yes")
    bank = {i.code: i for i in Indicator.objects.filter(code__in=survey.indicators)}
    for code in survey.indicators:
        add("select_one answer", code, _question(bank[code]))
    choices: list[list[Any]] = [["list_name", "name", *label_headers]]
    for list_name, options in (
        ("answer", [("yes", _("Yes")), ("no", _("No")), (NO_ANSWER, _("Prefers not to answer"))]),
        ("sex", [("F", _("Female")), ("M", _("Male"))]),
        ("age_band", [(c, label) for c, label in AgeBand.choices if c != AgeBand.UNKNOWN]),
    ):
        for value, label in options:
            choices.append([list_name, value, *labels(label)])
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [survey.title, f"ctip_survey_{survey.code.replace('-', '_')}", VERSION, "English (en)"],
    ]
    return survey_sheet, choices, settings


def workbook_bytes(survey: Survey) -> bytes:
    return sheets_to_xlsx(rows(survey))


def is_field_export(found: list[tuple[int, dict[str, Any]]]) -> bool:
    return bool(found) and "respondent_id" not in found[0][1]


def plain_rows(
    survey: Survey, found: list[tuple[int, dict[str, Any]]], wave: str = ""
) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a KoBo / ODK export as rows of the plain responses file. Raises FileProblem
    when the file is not an export of the survey's form."""
    sheet, choice_rows, _settings = rows(survey)
    form = FormFields.from_sheets(sheet, choice_rows)
    converted = []
    for number, row in as_form_rows(found, form, f"/surveys/{survey.code}/form.xlsx"):
        out: dict[str, Any] = {
            "respondent_id": submission_id(row),
            "weight": "1",
            "stratum": row.get(Breakdown.COUNTRY, ""),
            "cluster": row.get("interview_point", ""),
            "wave": wave or survey.current_wave,
        }
        for name in survey.breakdowns:
            if name != Breakdown.WAVE:
                out[name] = row.get(name, "")
        out[Breakdown.COUNTRY] = row.get(Breakdown.COUNTRY, "")
        for code in survey.indicators:
            answer = row.get(code, "")
            out[code] = "" if answer == NO_ANSWER else answer
        converted.append((number, out))
    return converted
