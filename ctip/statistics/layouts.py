"""The file layouts CTIP reads, and how each row becomes a victim record or a table cell.

Three layouts: CTIP's own template, the CTDC global dataset (2020 and 2024 column names),
and dataUNODC's GLOTIP long format. Each parser turns one row into a parsed value or a list
of RowErrors naming the column, the value and what was expected; nothing is written here.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from ctip.core.codes import (
    AgeBand,
    AgeGroup,
    DisplacementStatus,
    FormOfExploitation,
    MeansOfControl,
    RecruiterRelation,
    Sex,
    StatusDecidedBy,
    TraffickingStatus,
)
from ctip.statistics.codes import Dimension, Indicator, ValueStatus

MAX_VALUE = 1_000_000_000
RECORD_NAMESPACE = uuid.UUID("6f0c1b8e-2f53-4d0e-9a8e-2c1f7f1d9c11")


@dataclass
class RowError:
    row: int
    column: str
    value: str
    expected: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value[:200],
            "expected": self.expected,
        }


@dataclass
class ParsedRecord:
    row: int
    record_uuid: uuid.UUID | None
    year: int
    country_of_detection: str
    citizenship: str | None
    sex: str
    age_band: str
    forms: list[str] = field(default_factory=list)
    means: list[str] = field(default_factory=list)
    recruiter_relation: str = ""
    trafficking_status: str = TraffickingStatus.POSSIBLE
    status_decided_by: str = ""
    conflict_situation_id: int | None = None
    displacement_status: str = DisplacementStatus.UNKNOWN
    armed_group_involved: bool | None = None
    terrorist_group_involved: bool | None = None


@dataclass
class ParsedCell:
    row: int
    country: str
    indicator: str
    sex: str
    age: str
    dimension: str
    category: str
    value: int | None
    value_status: str
    year: int


@dataclass
class Context:
    """What a parser needs to know: the round's year and the valid country and conflict codes."""

    year: int
    countries: dict[str, str]  # any ISO code (alpha-3, alpha-2, numeric) → alpha-3
    conflicts: dict[str, int]  # conflict situation name (casefolded) or id → id
    default_country: str | None = None


class Row:
    """One row with its header, collecting errors as fields are read."""

    def __init__(self, number: int, header: list[str], values: list[str]) -> None:
        self.number = number
        self.cells = {
            name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)
        }
        self.errors: list[RowError] = []

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def error(self, column: str, expected: str) -> None:
        self.errors.append(RowError(self.number, column, self.get(column), expected))

    def year(self, column: str, ctx: Context) -> int:
        raw = self.get(column)
        try:
            year = int(float(raw))
        except ValueError:
            self.error(column, _("a year such as %(year)s") % {"year": ctx.year})
            return 0
        if year != ctx.year:
            self.error(column, _("%(year)s, the year of this reporting round") % {"year": ctx.year})
        return year

    def country(self, column: str, ctx: Context, *, required: bool) -> str | None:
        raw = self.get(column).upper()
        if raw in {"", "NULL", "NA", "N/A", "00", "ZZ", "XXX"}:
            if required:
                if ctx.default_country:
                    return ctx.default_country
                self.error(column, _("an ISO 3166 country code, e.g. IRQ"))
            return None
        code = ctx.countries.get(raw)
        if code is None:
            self.error(column, _("an ISO 3166 country code, e.g. IRQ"))
        return code

    def code(
        self,
        column: str,
        choices: type[models.TextChoices],
        *,
        default: str = "",
        aliases: dict[str, str] | None = None,
    ) -> str:
        raw = self.get(column)
        if raw == "" or raw.upper() == "NULL":
            return default
        found = _lookup(choices, raw, aliases)
        if found is None:
            self.error(column, _("one of: %(codes)s") % {"codes": ", ".join(choices.values)})
            return default
        return found

    def codes(self, column: str, choices: type[models.TextChoices]) -> list[str]:
        raw = self.get(column)
        found = []
        for part in filter(None, (p.strip() for p in raw.replace(",", ";").split(";"))):
            code = _lookup(choices, part, None)
            if code is None:
                self.error(
                    column,
                    _("codes separated by “;” from: %(codes)s")
                    % {"codes": ", ".join(choices.values)},
                )
                return []
            found.append(code)
        return sorted(set(found))

    def flag(self, column: str) -> bool | None:
        raw = self.get(column).lower()
        if raw in {"", "null", "na", "n/a"}:
            return None
        if raw in {"1", "1.0", "true", "yes", "y", "oui", "是"}:
            return True
        if raw in {"0", "0.0", "false", "no", "n", "non", "否"}:
            return False
        self.error(column, _("1 (yes), 0 (no) or empty (unknown)"))
        return None


@functools.cache
def _accepted(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every accepted spelling of a code list (its codes and English labels) → the code."""
    with translation.override("en"):
        return {
            spelling.casefold(): str(value)
            for value, label in choices.choices
            for spelling in (str(label), str(value))
        }


def _lookup(
    choices: type[models.TextChoices], raw: str, aliases: dict[str, str] | None
) -> str | None:
    folded = raw.strip().casefold()
    if aliases and folded in aliases:
        return aliases[folded]
    return _accepted(choices).get(folded)


AGE_ALIASES = {
    band.replace("--", sep).casefold(): band
    for band in AgeBand.values
    if "--" in band
    for sep in ("-", "—", "–", " to ")
} | {"48 +": AgeBand.Y48_PLUS, "null": AgeBand.UNKNOWN}


# --- CTIP's own template -------------------------------------------------------------------

CTIP_COLUMNS = [
    "record_id",
    "year_of_identification",
    "country_of_detection",
    "citizenship",
    "sex",
    "age_band",
    "forms_of_exploitation",
    "means_of_control",
    "recruiter_relation",
    "trafficking_status",
    "status_decided_by",
    "conflict_situation",
    "displacement_status",
    "armed_group_involved",
    "terrorist_group_involved",
]


def parse_ctip(row: Row, ctx: Context) -> ParsedRecord:
    record_uuid = None
    if row.get("record_id"):
        try:
            record_uuid = uuid.UUID(row.get("record_id"))
        except ValueError:
            row.error("record_id", _("a UUID, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e"))
    conflict = row.get("conflict_situation")
    conflict_id = None
    if conflict:
        conflict_id = ctx.conflicts.get(conflict.casefold())
        if conflict_id is None:
            row.error("conflict_situation", _("the name or number of a conflict situation in CTIP"))
    return ParsedRecord(
        row=row.number,
        record_uuid=record_uuid,
        year=row.year("year_of_identification", ctx),
        country_of_detection=row.country("country_of_detection", ctx, required=True) or "",
        citizenship=row.country("citizenship", ctx, required=False),
        sex=row.code(
            "sex", Sex, default=Sex.UNKNOWN, aliases={"female": "F", "male": "M", "unknown": "_U"}
        ),
        age_band=row.code("age_band", AgeBand, default=AgeBand.UNKNOWN, aliases=AGE_ALIASES),
        forms=row.codes("forms_of_exploitation", FormOfExploitation),
        means=row.codes("means_of_control", MeansOfControl),
        recruiter_relation=row.code("recruiter_relation", RecruiterRelation),
        trafficking_status=row.code(
            "trafficking_status", TraffickingStatus, default=TraffickingStatus.POSSIBLE
        ),
        status_decided_by=row.code("status_decided_by", StatusDecidedBy),
        conflict_situation_id=conflict_id,
        displacement_status=row.code(
            "displacement_status", DisplacementStatus, default=DisplacementStatus.UNKNOWN
        ),
        armed_group_involved=row.flag("armed_group_involved"),
        terrorist_group_involved=row.flag("terrorist_group_involved"),
    )


# --- CTDC global dataset (2020 and 2024 layouts) ----------------------------------------------

CTDC_GENDER = {
    "woman": "F",
    "female": "F",
    "man": "M",
    "male": "M",
    "trans/transgender/nonconforming": "_U",
    "transgender/nonconforming": "_U",
}
CTDC_FORMS = {
    "isForcedLabour": FormOfExploitation.FORCED_LABOUR,
    "isSexualExploit": FormOfExploitation.SEXUAL_EXPLOITATION,
    "isOtherExploit": FormOfExploitation.OTHER,
    "isForcedMarriage": FormOfExploitation.FORCED_MARRIAGE,
    "isForcedMilitary": FormOfExploitation.FORCED_MILITARY,
    "isOrganRemoval": FormOfExploitation.ORGAN_REMOVAL,
}
CTDC_MEANS = {
    # 2024 (merged following Stöckl et al. 2021)
    "meansDebtBondageEarnings": [MeansOfControl.DEBT_BONDAGE, MeansOfControl.TAKES_EARNINGS],
    "meansThreats": [MeansOfControl.PHYSICAL_THREATS],
    "meansAbusePsyPhySex": [
        MeansOfControl.PSYCHOLOGICAL_ABUSE,
        MeansOfControl.PHYSICAL_ABUSE,
        MeansOfControl.SEXUAL_ABUSE,
    ],
    "meansFalsePromises": [MeansOfControl.FALSE_PROMISES],
    "meansDrugsAlcohol": [MeansOfControl.PSYCHOACTIVE_SUBSTANCE],
    "meansDenyBasicNeeds": [MeansOfControl.WITHHOLDS_NECESSITIES],
    "meansExcessiveWorkHours": [MeansOfControl.EXCESSIVE_WORKING_HOURS],
    "meansWithholdDocs": [MeansOfControl.WITHHOLDS_DOCUMENTS],
    "meansWithholdDocuments": [MeansOfControl.WITHHOLDS_DOCUMENTS],
    # 2020
    "meansOfControlDebtBondage": [MeansOfControl.DEBT_BONDAGE],
    "meansOfControlTakesEarnings": [MeansOfControl.TAKES_EARNINGS],
    "meansOfControlRestrictsFinancialAccess": [MeansOfControl.RESTRICTS_FINANCIAL_ACCESS],
    "meansOfControlThreats": [MeansOfControl.PHYSICAL_THREATS],
    "meansOfControlPsychologicalAbuse": [MeansOfControl.PSYCHOLOGICAL_ABUSE],
    "meansOfControlPhysicalAbuse": [MeansOfControl.PHYSICAL_ABUSE],
    "meansOfControlSexualAbuse": [MeansOfControl.SEXUAL_ABUSE],
    "meansOfControlFalsePromises": [MeansOfControl.FALSE_PROMISES],
    "meansOfControlPsychoactiveSubstances": [MeansOfControl.PSYCHOACTIVE_SUBSTANCE],
    "meansOfControlRestrictsMedicalCare": [MeansOfControl.RESTRICTS_MEDICAL_CARE],
    "meansOfControlExcessiveWorkingHours": [MeansOfControl.EXCESSIVE_WORKING_HOURS],
    "meansOfControlThreatOfLawEnforcement": [MeansOfControl.THREATS_LAW_ENFORCEMENT],
    "meansOfControlWithholdsNecessities": [MeansOfControl.WITHHOLDS_NECESSITIES],
    "meansOfControlWithholdsDocuments": [MeansOfControl.WITHHOLDS_DOCUMENTS],
    "meansOfControlOther": [MeansOfControl.OTHER],
}
# The first relation present wins, closest first.
CTDC_RELATIONS = [
    ("recruiterRelationFamily", RecruiterRelation.FAMILIAL),
    ("recruiterRelationIntimatePartner", RecruiterRelation.ACQUAINTED),
    ("recruiterRelationFriend", RecruiterRelation.ACQUAINTED),
    ("recruiterRelationOther", RecruiterRelation.UNACQUAINTED),
]
CTDC_MARKERS = {"yearOfRegistration", "ageBroad", "CountryOfExploitation"}


def parse_ctdc(row: Row, ctx: Context) -> ParsedRecord:
    """CTDC records are victims identified and assisted by counter-trafficking organisations:
    they are read as actual victims, detected in their country of exploitation."""
    present = row.cells.keys()
    forms: list[str] = [
        form for column, form in CTDC_FORMS.items() if column in present and row.flag(column)
    ]
    means: list[str] = sorted(
        {
            m
            for column, listed in CTDC_MEANS.items()
            if column in present and row.flag(column)
            for m in listed
        }
    )
    relation = next(
        (code for column, code in CTDC_RELATIONS if column in present and row.flag(column)), ""
    )
    return ParsedRecord(
        row=row.number,
        record_uuid=None,
        year=row.year("yearOfRegistration", ctx),
        country_of_detection=row.country("CountryOfExploitation", ctx, required=True) or "",
        citizenship=row.country("citizenship", ctx, required=False),
        sex=row.code("gender", Sex, default=Sex.UNKNOWN, aliases=CTDC_GENDER),
        age_band=row.code("ageBroad", AgeBand, default=AgeBand.UNKNOWN, aliases=AGE_ALIASES),
        forms=sorted(forms),
        means=means,
        recruiter_relation=relation,
        trafficking_status=TraffickingStatus.ACTUAL,
    )


# --- dataUNODC GLOTIP long format -------------------------------------------------------------

UNODC_COLUMNS = [
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
UNODC_SEX = {"total": Sex.TOTAL, "female": Sex.FEMALE, "male": Sex.MALE, "unknown": Sex.UNKNOWN}
UNODC_AGE = {
    "total": AgeGroup.TOTAL,
    "0 to 17 years": AgeGroup.CHILD,
    "18 years or over": AgeGroup.ADULT,
    "unknown": AgeGroup.UNKNOWN,
}
UNODC_DIMENSIONS = {
    "total": Dimension.TOTAL,
    "by form of exploitation": Dimension.FORM_OF_EXPLOITATION,
    "form of exploitation": Dimension.FORM_OF_EXPLOITATION,
    "by citizenship": Dimension.CITIZENSHIP,
    "citizenship": Dimension.CITIZENSHIP,
    "conflict": Dimension.CONFLICT,
    "by conflict link": Dimension.CONFLICT,
}
UNODC_FORMS = {
    "other purposes": FormOfExploitation.OTHER,
    "sexual exploitation": FormOfExploitation.SEXUAL_EXPLOITATION,
    "forced labour": FormOfExploitation.FORCED_LABOUR,
}


def parse_unodc(row: Row, ctx: Context) -> ParsedCell:
    indicator = row.code("Indicator", Indicator)
    if not row.get("Indicator"):
        row.error("Indicator", ", ".join(Indicator.values))
    dimension = UNODC_DIMENSIONS.get(row.get("Dimension").casefold())
    category = row.get("Category") or "Total"
    if dimension is None:
        row.error("Dimension", ", ".join(UNODC_DIMENSIONS))
    elif dimension == Dimension.FORM_OF_EXPLOITATION:
        form = UNODC_FORMS.get(category.casefold()) or _lookup(FormOfExploitation, category, None)
        if form is None:
            row.error("Category", _("a form of exploitation"))
        category = form or category
    elif dimension == Dimension.CITIZENSHIP and category not in {
        "Nationals",
        "Foreigners",
        "Unknown",
    }:
        code = ctx.countries.get(category.upper())
        if code is None:
            row.error("Category", _("Nationals, Foreigners, Unknown or an ISO country code"))
        category = code or category
    sex = UNODC_SEX.get(row.get("Sex").casefold())
    if sex is None:
        row.error("Sex", "Total, Female, Male, Unknown")
    age = UNODC_AGE.get(row.get("Age").casefold())
    if age is None:
        row.error("Age", "Total, 0 to 17 years, 18 years or over, Unknown")
    raw = row.get("txtVALUE").replace(",", "").replace(" ", "")
    value, status = None, ValueStatus.REPORTED
    if raw == "":
        status = ValueStatus.NOT_REPORTED
    elif raw.lower() in {"n/a", "na", "not applicable"}:
        status = ValueStatus.NOT_APPLICABLE
    else:
        try:
            value = int(raw)
            if not 0 <= value <= MAX_VALUE:
                raise ValueError
        except ValueError:
            row.error(
                "txtVALUE",
                _("a whole number from 0 to %(max)s, empty (not reported) or n/a")
                % {"max": f"{MAX_VALUE:,}"},
            )
            value = None
    return ParsedCell(
        row=row.number,
        country=row.country("Iso3_code", ctx, required=True) or "",
        indicator=indicator,
        sex=sex or "",
        age=age or "",
        dimension=dimension or "",
        category=category,
        value=value,
        value_status=status,
        year=row.year("Year", ctx),
    )


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str  # "records" or "cells"
    required: frozenset[str]
    parse: Callable[[Row, Context], Any]


LAYOUTS = {
    "ctip": Layout(
        "ctip", "records", frozenset({"year_of_identification", "country_of_detection"}), parse_ctip
    ),
    "ctdc": Layout(
        "ctdc", "records", frozenset({"yearOfRegistration", "CountryOfExploitation"}), parse_ctdc
    ),
    "unodc": Layout(
        "unodc",
        "cells",
        frozenset({"Iso3_code", "Indicator", "Sex", "Age", "Year", "txtVALUE"}),
        parse_unodc,
    ),
}


def detect_layout(header: list[str]) -> Layout | None:
    columns = set(header)
    if CTDC_MARKERS & columns and "yearOfRegistration" in columns:
        return LAYOUTS["ctdc"]
    if {"Iso3_code", "txtVALUE"} <= columns:
        return LAYOUTS["unodc"]
    if "year_of_identification" in columns:
        return LAYOUTS["ctip"]
    return None


def content_uuid(entity_code: str, year: int, cells: dict[str, str], occurrence: int) -> uuid.UUID:
    """A stable id for a row that has none (CTDC), so importing the same file twice is safe."""
    content = "|".join(f"{k}={v}" for k, v in sorted(cells.items()))
    return uuid.uuid5(RECORD_NAMESPACE, f"{entity_code}|{year}|{content}|{occurrence}")
