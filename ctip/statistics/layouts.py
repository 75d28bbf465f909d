"""The file layouts CTIP reads, and how each row becomes a victim record or a table cell.

Three layouts: CTIP's own template and the CTDC global dataset (2020 and 2024 column names)
for victim records, declared column by column as data and checked in bulk by
`ctip.statistics.bulk`; and dataUNODC's GLOTIP long format for table cells, parsed row by
row. Every problem becomes a RowError naming the row, the column, the value and what was
expected; nothing is written here.
"""

from __future__ import annotations

import functools
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
from ctip.linkage.keys import KEY_CHARS as LINKAGE_KEY_CHARS
from ctip.statistics.codes import Dimension, Indicator, ValueStatus

MAX_VALUE = 1_000_000_000


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
    round_years: frozenset[int] = frozenset()  # years with a round, for multi-year files


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
            self.error(column, year_expected(ctx.year))
            return 0
        if year != ctx.year:
            self.error(column, year_in_round_expected(ctx.year))
        return year

    def country(self, column: str, ctx: Context, *, required: bool) -> str | None:
        raw = self.get(column).upper()
        if raw.casefold() in COUNTRY_NULL_WORDS:
            if required:
                if ctx.default_country:
                    return ctx.default_country
                self.error(column, country_expected())
            return None
        code = ctx.countries.get(raw)
        if code is None:
            self.error(column, country_expected())
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
        if raw.casefold() in NULL_WORDS:
            return default
        found = _lookup(choices, raw, aliases)
        if found is None:
            self.error(column, code_expected(choices))
            return default
        return found


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


# --- Victim-record layouts, declared as data ---------------------------------------------------
#
# A record layout says, column by column, how a file's cells become a victim record's fields.
# `ctip.statistics.bulk` turns these declarations into one set-based check and load (DuckDB),
# so the spellings, defaults and messages below are the only place these rules live.

NULL_WORDS = frozenset({"", "null", "na", "n/a"})
COUNTRY_NULL_WORDS = NULL_WORDS | {"00", "zz", "xxx"}
FLAG_SPELLINGS = {
    **dict.fromkeys(["1", "1.0", "true", "yes", "y", "oui", "是"], True),
    **dict.fromkeys(["0", "0.0", "false", "no", "n", "non", "否"], False),
}


@dataclass(frozen=True)
class Column:
    """One file column filling one record field.

    kind: `year` (must be the round's), `country`, `code` (one code of `choices`), `flag`
    (1/0/empty), `uuid` (the record's id), `conflict` (a conflict situation's name or number).
    """

    name: str
    target: str  # the VictimRecord field
    kind: str
    choices: type[models.TextChoices] | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    default: str = ""
    required: bool = False

    def spellings(self) -> dict[str, str]:
        """Every accepted spelling (casefolded) of a `code` column → its code."""
        assert self.choices is not None
        return _accepted(self.choices) | self.aliases


@dataclass(frozen=True)
class CodeListColumn:
    """One column holding several codes separated by “;” (or “,”)."""

    name: str
    target: str  # a VictimRecord field holding a set of codes
    choices: type[models.TextChoices]


@dataclass(frozen=True)
class FlagColumns:
    """One 0/1 column per code or codes (CTDC). With `many`, every set flag adds its codes
    to the target; without, the first set flag in order gives the target its one code."""

    columns: tuple[tuple[str, tuple[str, ...]], ...]
    target: str
    many: bool = True


@dataclass(frozen=True)
class RecordLayout:
    name: str
    required: frozenset[str]
    columns: tuple[Column, ...]
    code_lists: tuple[CodeListColumn, ...] = ()
    flags: tuple[FlagColumns, ...] = ()
    constants: dict[str, str] = field(default_factory=dict)
    kind: str = "records"
    multi_year: bool = False  # each row goes to its own year's round (CTDC spans years)

    @property
    def has_record_id(self) -> bool:
        return any(c.kind == "uuid" for c in self.columns)


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
    "linkage_key",
]
SEX_ALIASES = {"female": "F", "male": "M", "unknown": "_U"}

CTIP_LAYOUT = RecordLayout(
    name="ctip",
    required=frozenset({"year_of_identification", "country_of_detection"}),
    columns=(
        Column("record_id", "record_uuid", "uuid"),
        Column("year_of_identification", "year_of_identification", "year"),
        Column("country_of_detection", "country_of_detection", "country", required=True),
        Column("citizenship", "citizenship_id", "country"),
        Column("sex", "sex", "code", Sex, SEX_ALIASES, Sex.UNKNOWN),
        Column("age_band", "age_band", "code", AgeBand, AGE_ALIASES, AgeBand.UNKNOWN),
        Column("recruiter_relation", "recruiter_relation", "code", RecruiterRelation),
        Column(
            "trafficking_status",
            "trafficking_status",
            "code",
            TraffickingStatus,
            default=TraffickingStatus.POSSIBLE,
        ),
        Column("status_decided_by", "status_decided_by", "code", StatusDecidedBy),
        Column("conflict_situation", "conflict_situation_id", "conflict"),
        Column(
            "displacement_status",
            "displacement_status",
            "code",
            DisplacementStatus,
            default=DisplacementStatus.UNKNOWN,
        ),
        Column("armed_group_involved", "armed_group_involved", "flag"),
        Column("terrorist_group_involved", "terrorist_group_involved", "flag"),
        Column("linkage_key", "linkage_key", "linkage_key"),
    ),
    code_lists=(
        CodeListColumn("forms_of_exploitation", "forms_of_exploitation", FormOfExploitation),
        CodeListColumn("means_of_control", "means_of_control", MeansOfControl),
    ),
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

# CTDC records are victims identified and assisted by counter-trafficking organisations:
# they are read as actual victims, detected in their country of exploitation.
CTDC_LAYOUT = RecordLayout(
    name="ctdc",
    required=frozenset({"yearOfRegistration", "CountryOfExploitation"}),
    columns=(
        Column("yearOfRegistration", "year_of_identification", "year"),
        Column("CountryOfExploitation", "country_of_detection", "country", required=True),
        Column("citizenship", "citizenship_id", "country"),
        Column("gender", "sex", "code", Sex, CTDC_GENDER, Sex.UNKNOWN),
        Column("ageBroad", "age_band", "code", AgeBand, AGE_ALIASES, AgeBand.UNKNOWN),
    ),
    flags=(
        FlagColumns(tuple((c, (str(f),)) for c, f in CTDC_FORMS.items()), "forms_of_exploitation"),
        FlagColumns(
            tuple((c, tuple(map(str, m))) for c, m in CTDC_MEANS.items()), "means_of_control"
        ),
        FlagColumns(
            tuple((c, (str(r),)) for c, r in CTDC_RELATIONS), "recruiter_relation", many=False
        ),
    ),
    constants={"trafficking_status": TraffickingStatus.ACTUAL},
    multi_year=True,
)


def year_expected(year: int) -> str:
    return _("a year such as %(year)s") % {"year": year}


def year_in_round_expected(year: int) -> str:
    return _("%(year)s, the year of this reporting round") % {"year": year}


def year_with_round_expected(years: frozenset[int]) -> str:
    return _("a year with a reporting round (%(years)s); open the round first") % {
        "years": ", ".join(str(y) for y in sorted(years)) or "-"
    }


def country_expected() -> str:
    return _("an ISO 3166 country code, e.g. IRQ")


def country_unknown_expected() -> str:
    return _(
        "the country of detection: it is unknown on this row, so choose the country of "
        "detection for rows without one (--country), or leave the row out"
    )


def code_expected(choices: type[models.TextChoices]) -> str:
    return _("one of: %(codes)s") % {"codes": ", ".join(choices.values)}


def expected(
    column: Column | CodeListColumn, year: int, round_years: frozenset[int] | None = None
) -> list[str]:
    """What a good value looks like, in the user's language: one message per check of
    the column, in the order `ctip.statistics.bulk` makes the checks. With `round_years`
    (a multi-year file), a year must be one of them rather than the round's."""
    if isinstance(column, CodeListColumn):
        codes = ", ".join(column.choices.values)
        return [_("codes separated by “;” from: %(codes)s") % {"codes": codes}]
    if column.kind == "year":
        if round_years is not None:
            return [year_expected(year), year_with_round_expected(round_years)]
        return [year_expected(year), year_in_round_expected(year)]
    if column.kind == "country":
        return [country_expected(), country_unknown_expected()]
    if column.kind == "code":
        assert column.choices is not None
        return [code_expected(column.choices)]
    if column.kind == "flag":
        return [_("1 (yes), 0 (no) or empty (unknown)")]
    if column.kind == "uuid":
        return [
            _("a UUID, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e"),
            _("a record_id not used on an earlier row of this file"),
        ]
    if column.kind == "linkage_key":
        return [
            _(
                "a linkage key made by ctip encode_identities or the encoding page "
                "(%(n)s characters of base64), or empty"
            )
            % {"n": LINKAGE_KEY_CHARS}
        ]
    return [_("the name or number of a conflict situation in CTIP")]


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
class CellLayout:
    """A layout of aggregate table rows, read row by row (tables are small)."""

    name: str
    required: frozenset[str]
    parse: Callable[[Row, Context], ParsedCell]
    kind: str = "cells"


Layout = RecordLayout | CellLayout
UNODC_LAYOUT = CellLayout(
    "unodc", frozenset({"Iso3_code", "Indicator", "Sex", "Age", "Year", "txtVALUE"}), parse_unodc
)
LAYOUTS: dict[str, Layout] = {
    layout.name: layout for layout in (CTIP_LAYOUT, CTDC_LAYOUT, UNODC_LAYOUT)
}


LAYOUT_NAMES = ("ctip", "ctdc", "unodc", "sdmx-csv")


def layout_named(name: str) -> Layout | None:
    if name == "sdmx-csv":
        from ctip.statistics import sdmx_csv  # builds on this module's Row and CellLayout

        return sdmx_csv.SDMX_CSV_LAYOUT
    return LAYOUTS.get(name)


def detect_layout(header: list[str]) -> Layout | None:
    columns = set(header)
    if CTDC_MARKERS & columns and "yearOfRegistration" in columns:
        return LAYOUTS["ctdc"]
    if {"Iso3_code", "txtVALUE"} <= columns:
        return LAYOUTS["unodc"]
    if "year_of_identification" in columns:
        return LAYOUTS["ctip"]
    from ctip.statistics import sdmx_csv  # builds on this module's Row and CellLayout

    return sdmx_csv.SDMX_CSV_LAYOUT if sdmx_csv.matches(header) else None
