"""The incident form as an XLSForm that KoBoToolbox and ODK Collect run offline, and the
way back: an export of it (any shape `ctip.cases.field_exports` reads) as rows of CTIP's
incident template, so one import validates both.

Labels in the six UN languages come from CTIP's translations, choices from the code lists.
The conflict situation and the party are typed as text (their registers change faster
than a form is redeployed) and checked on import against the registers, with aliases.
"""

from __future__ import annotations

import functools
from typing import Any

from django.utils.translation import gettext_lazy as _

from ctip.cases.field_exports import FormFields, as_form_rows
from ctip.cases.services.screening import submission_id
from ctip.cases.xlsform import LANGUAGES, labels, sheets_to_xlsx
from ctip.incidents.codes import Reliability, VictimGroup, Violation

FORM_ID = "ctip_incident"
VERSION = "2026120401"


def rows() -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    label_headers = [f"label::{name}" for _code, name in LANGUAGES]
    survey: list[list[Any]] = [["type", "name", *label_headers, "required", "constraint"]]

    def add(
        kind: str, name: str, label: Any = "", required: str = "", constraint: str = ""
    ) -> None:
        texts = labels(label) if label else [""] * len(LANGUAGES)
        survey.append([kind, name, *texts, required, constraint])

    add("start", "start")
    add("end", "end")
    add("date", "date", _("Date (or first possible date)"), "yes", ". <= today()")
    add(
        "date",
        "date_to",
        _("Last possible date, if uncertain"),
        "",
        ". >= ${date} and . <= today()",
    )
    add("text", "conflict_situation", _("Conflict situation"), "yes")
    add("text", "country", _("Country (ISO alpha-3)"), "yes", "string-length(.) = 3")
    add("text", "admin1", _("First-level administrative area"))
    add("geopoint", "location", _("Location (optional)"))
    add("select_multiple violation", "violations", _("Violations"), "yes")
    add("text", "party", _("Perpetrator (a party's name or alias; empty if unknown)"))
    for group, label in VictimGroup.choices:
        add("integer", group, label, "", ". >= 0 and . <= 100000")
    add("text", "narrative", _("Narrative (encrypted)"))
    add("text", "source", _("Source"))
    add("select_one reliability", "reliability", _("Reliability of the source"))
    choices: list[list[Any]] = [["list_name", "name", *label_headers]]
    for list_name, options in (
        ("violation", Violation.choices),
        ("reliability", Reliability.choices),
    ):
        for value, label in options:
            choices.append([list_name, value, *labels(label)])
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        ["CTIP incident", FORM_ID, VERSION, "English (en)"],
    ]
    return survey, choices, settings


def workbook_bytes() -> bytes:
    return sheets_to_xlsx(rows())


@functools.cache
def incident_form() -> FormFields:
    survey, choice_rows, _settings = rows()
    return FormFields.from_sheets(survey, choice_rows)


def is_field_export(rows_: list[tuple[int, dict[str, Any]]]) -> bool:
    """A template file has `incident_id`; an export of the form has an instance id."""
    return bool(rows_) and "incident_id" not in rows_[0][1]


def template_rows(found: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a KoBo / ODK export of the form, as rows of the incident template (status
    'reported': a field report is verified in CTIP). Raises FileProblem when the file is not
    an export of the form."""
    converted = []
    for number, row in as_form_rows(found, incident_form(), "/incidents/form.xlsx"):
        location = _coordinates(row)
        out: dict[str, Any] = {
            "incident_id": submission_id(row),
            "verification_status": "reported",
            "violation": ";".join(str(row.get("violations") or "").split()),
            "latitude": location[0],
            "longitude": location[1],
            "sources": [
                {"source": row.get("source", ""), "reliability": row.get("reliability", "")}
            ],
        }
        for name in (
            "date",
            "date_to",
            "country",
            "admin1",
            "conflict_situation",
            "party",
            "narrative",
        ):
            out[name] = row.get(name, "")
        for group in VictimGroup.values:
            out[group] = row.get(group, "")
        converted.append((number, out))
    return converted


def _coordinates(row: dict[str, Any]) -> tuple[str, str]:
    """A geopoint as the tools write it: "lat lon alt accuracy" in one column (KoBo's
    `location`), or split: ODK Central's `location-Latitude`, KoBo's `_location_latitude`."""
    for lat, lon in (
        ("location-Latitude", "location-Longitude"),
        ("_location_latitude", "_location_longitude"),
    ):
        if str(row.get(lat) or "").strip():
            return str(row[lat]).strip(), str(row.get(lon) or "").strip()
    parts = str(row.get("location") or "").split()
    return (parts[0], parts[1]) if len(parts) >= 2 else ("", "")
