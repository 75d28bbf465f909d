"""`ctip import_survey`: responses from a plain file (one row per respondent) or from a
KoBoToolbox / ODK export of the survey's XLSForm. All rows or none, every bad row named;
a respondent imported before (same id) is left as it is. No identity is asked or kept: a
column the survey does not know is refused rather than stored."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.codes import AgeBand
from ctip.core.imports import RowIds
from ctip.core.models import Country, User
from ctip.core.values import parse_flag
from ctip.surveys import policies
from ctip.surveys.codes import Breakdown, SurveysAction
from ctip.surveys.models import Response, Survey
from ctip.tabular import formula_like

MAX_WEIGHT = 1_000_000.0
MAX_RESPONSE_ROWS = 2_000_000
DESIGN = ("respondent_id", "weight", "stratum", "cluster")
SEXES = {"f": "F", "female": "F", "m": "M", "male": "M", "_u": "_U", "unknown": "_U", "": ""}
TEXT_LIMITS = {"stratum": 60, "cluster": 100, "route": 60, "wave": 40}
AGE_BANDS = frozenset(AgeBand.values)


@dataclass
class ImportReport:
    created: int = 0
    already: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False

    def problem(self, row: int, column: str, value: Any, expected: str) -> None:
        self.errors.append(
            {"row": row, "column": column, "value": str(value)[:200], "expected": expected}
        )


def _check_header(survey: Survey, columns: set[str], report: ImportReport) -> None:
    for name in ("respondent_id", "weight", *survey.indicators):
        if name not in columns:
            report.problem(1, name, "", _("A column named %(name)s.") % {"name": name})
    known = {*DESIGN, *Breakdown.values, *survey.indicators}
    for name in sorted(columns - known):
        report.problem(
            1,
            name,
            name,
            _("A column of the survey: %(names)s (no other, so that nothing identifying is kept).")
            % {"names": ", ".join(sorted(known))},
        )


def _response(
    survey: Survey, number: int, row: dict[str, Any], countries: set[str], report: ImportReport
) -> Response | None:
    errors = len(report.errors)
    values: dict[str, Any] = {"respondent_id": str(row.get("respondent_id") or "").strip()}
    text = str(row.get("weight") or "").strip()
    try:
        weight = float(text)
    except ValueError:
        weight = math.nan
    if not (0 < weight <= MAX_WEIGHT) or not math.isfinite(weight):
        report.problem(number, "weight", text, _("A positive number up to 1,000,000."))
    values["weight"] = weight
    for name, limit in TEXT_LIMITS.items():
        value = str(row.get(name) or "").strip()
        if len(value) > limit or formula_like(value):
            report.problem(
                number, name, value, _("Plain text of at most %(n)s characters.") % {"n": limit}
            )
        values[name] = value
    values["wave"] = values["wave"] or survey.current_wave
    for name in ("nationality", "country_of_interview"):
        value = str(row.get(name) or "").strip().upper()
        if value and value not in countries:
            report.problem(number, name, value, _("An ISO 3166 alpha-3 country code, e.g. NGA."))
        values[name] = value
    sex = str(row.get("sex") or "").strip().casefold()
    if sex not in SEXES:
        report.problem(number, "sex", sex, _("F, M, _U or empty."))
    values["sex"] = SEXES.get(sex, "")
    age = str(row.get("age_band") or "").strip()
    if age and age not in AGE_BANDS:
        report.problem(
            number, "age_band", age, _("One of: %(codes)s") % {"codes": ", ".join(AgeBand.values)}
        )
    values["age_band"] = age
    answered = yes = 0
    for bit, code in enumerate(survey.indicators):
        raw = row.get(code)
        try:
            answer = parse_flag(raw)
        except ValueError:
            report.problem(number, code, raw, _("yes, no or empty (not answered)."))
            continue
        if answer is not None:
            answered |= 1 << bit
            yes |= int(answer) << bit
    if len(report.errors) > errors:
        return None
    return Response(survey=survey, answered=answered, yes=yes, **values)


@transaction.atomic
def responses_import(
    *,
    survey: Survey,
    rows: list[tuple[int, dict[str, Any]]],
    actor: User | None = None,
    dry_run: bool = False,
    actor_label: str = "",
) -> ImportReport:
    """Validate every row, then write them all (or, with any error or a dry run, none)."""
    if actor is not None:
        policies.require_survey(actor, survey)
    report = ImportReport(dry_run=dry_run)
    _check_header(survey, set(rows[0][1]) if rows else set(), report)
    if report.errors:
        return report
    countries = set(Country.objects.values_list("alpha3", flat=True))
    seen = set(Response.objects.filter(survey=survey).values_list("respondent_id", flat=True))
    found = []
    for number, row, _respondent in RowIds(seen).new_rows(rows, "respondent_id", report):
        response = _response(survey, number, row, countries, report)
        if response is not None:
            found.append(response)
    report.created = len(found)
    if report.errors or dry_run or not found:
        return report
    Response.objects.bulk_create(found, batch_size=5_000)
    audit_record(
        actor=actor,
        action=SurveysAction.RESPONSES_IMPORTED,
        target=survey,
        entity=survey.entity,
        details={"created": report.created, "already": report.already},
        actor_label=actor_label,
    )
    return report
