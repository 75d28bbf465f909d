"""The screening as an XLSForm that KoBoToolbox and ODK Collect run offline.

Labels in the six UN languages come from CTIP's own translations; choices from the code
lists; skip logic shows each set of indicators only when it is chosen, and the questions for
children also whenever the person is under 18. The field names are the ones `clean_screening`
reads back (`set_question`), so a KoBo / ODK export imports without a mapping.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import translation

from ctip.cases.codes import INDICATOR_SETS, Answer, Outcome, Setting

FORM_ID = "ctip_screening"
VERSION = "2026112901"
LANGUAGES = [
    ("en", "English (en)"),
    ("zh-hans", "Chinese (zh)"),
    ("ar", "Arabic (ar)"),
    ("fr", "French (fr)"),
    ("es", "Spanish (es)"),
    ("ru", "Russian (ru)"),
]


def _labels(text: Any) -> list[str]:
    found = []
    for code, _name in LANGUAGES:
        with translation.override(code):
            found.append(str(text))
    return found


def rows() -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """(survey, choices, settings) sheets as lists of rows, headers first."""
    from django.utils.translation import gettext_lazy as _

    label_headers = [f"label::{name}" for _code, name in LANGUAGES]
    survey: list[list[Any]] = [
        ["type", "name", *label_headers, "relevant", "required", "constraint"]
    ]

    def add(
        kind: str,
        name: str,
        label: Any,
        relevant: str = "",
        required: str = "",
        constraint: str = "",
    ) -> None:
        survey.append(
            [
                kind,
                name,
                *(_labels(label) if label else [""] * len(LANGUAGES)),
                relevant,
                required,
                constraint,
            ]
        )

    add("start", "start", "")
    add("end", "end", "")
    add("date", "screened_on", _("Date"), required="yes", constraint=". <= today()")
    add("text", "screener_name", _("Your name"))
    add("text", "place", _("Place"))
    add("select_one setting", "setting", _("Setting"), required="yes")
    add("select_one yes_no", "under_18", _("Is the person under 18?"))
    add("select_one indicator_set", "indicator_set", _("Indicators"), required="yes")
    for code, indicator_set in INDICATOR_SETS.items():
        relevant = f"${{indicator_set}} = '{code}'"
        if code == "child":
            relevant = f"{relevant} or ${{under_18}} = 'yes'"
        add("begin_group", code, indicator_set.title, relevant=relevant)
        for question in indicator_set.questions:
            add("select_one answer", f"{code}_{question.code}", question.text)
        add("end_group", f"{code}_end", "")
    add("select_one outcome", "outcome", _("Outcome"), required="yes")
    add("text", "reason", _("Reason"), required="yes")
    choices: list[list[Any]] = [["list_name", "name", *label_headers]]
    for list_name, options in (
        ("answer", Answer.choices),
        ("setting", Setting.choices),
        ("outcome", Outcome.choices),
        ("yes_no", [("yes", _("Yes")), ("no", _("No"))]),
        ("indicator_set", [(c, s.title) for c, s in INDICATOR_SETS.items()]),
    ):
        for value, label in options:
            choices.append([list_name, value, *_labels(label)])
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        ["CTIP screening", FORM_ID, VERSION, "English (en)"],
    ]
    return survey, choices, settings


def workbook_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, sheet_rows in zip(("survey", "choices", "settings"), rows(), strict=True):
        sheet = workbook.create_sheet(title)
        for row in sheet_rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

