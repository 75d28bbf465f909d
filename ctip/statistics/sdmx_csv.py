"""Reading SDMX-CSV: what a Member State's statistical office already makes for SDG 16.2.2.

An SDMX-CSV 1.0 file (a DATAFLOW column) or 2.0 file (STRUCTURE, STRUCTURE_ID, ACTION) that
follows CTIP's own dataflow (`ctip.statistics.sdmx`) or the SDG one (IAEG-SDGs:DF_SDG_GLH:
REF_AREA as M49, SERIES, SEX, AGE, TIME_PERIOD, OBS_VALUE) becomes the same table cells as a
dataUNODC file: one row, one cell. Column headers may carry labels (“SERIES: Series”), as
SDMX-CSV 2.0 allows. Columns the DSD has and CTIP does not need (REPORTING_TYPE, NATURE…)
are ignored; every problem is a RowError naming the row and the column.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from ctip.core.codes import AgeGroup, Sex
from ctip.statistics.codes import ValueStatus
from ctip.statistics.layouts import (
    MAX_VALUE,
    CellLayout,
    Context,
    ParsedCell,
    Row,
    year_expected,
    year_in_round_expected,
)
from ctip.statistics.sdmx import CELL_OF_SERIES, DATAFLOW_ID, DSD_ID

NAME = "sdmx-csv"
MARKERS = frozenset({"REF_AREA", "SERIES", "TIME_PERIOD", "OBS_VALUE"})
# The structures whose files CTIP reads: its own, and the SDG dataflow of indicator 16.2.2.
STRUCTURES = frozenset({DSD_ID, DATAFLOW_ID, "DF_SDG_GLH"})
MISSING = frozenset({"", "nan"})  # SDMX-CSV writes a missing OBS_VALUE as empty or NaN


def component_id(header: str) -> str:
    """“SERIES: Series” → “SERIES” (SDMX-CSV 2.0 with labels)."""
    return header.split(":", 1)[0].strip()


def matches(header: list[str]) -> bool:
    return {component_id(h) for h in header} >= MARKERS


class Fields:
    """A row read by component id, whatever label the header adds."""

    def __init__(self, row: Row) -> None:
        self.row = row
        self.columns = {component_id(name): name for name in row.cells}

    def column(self, component: str) -> str:
        return self.columns.get(component, component)

    def get(self, component: str) -> str:
        return self.row.get(self.column(component))

    def error(self, component: str, expected: str) -> None:
        self.row.error(self.column(component), expected)


def _structure(fields: Fields) -> None:
    for component in ("STRUCTURE_ID", "DATAFLOW"):
        reference = fields.get(component)
        if component in fields.columns:
            # AGENCY:ID(VERSION), e.g. IAEG-SDGs:DF_SDG_GLH(1.20)
            structure = reference.split(":", 1)[-1].split("(", 1)[0]
            if structure not in STRUCTURES:
                fields.error(component, _("CTIP's CTIP:DF_GLOTIP or the SDG IAEG-SDGs:DF_SDG_GLH"))
    if fields.get("ACTION").upper() == "D":
        fields.error("ACTION", _("I, A or R: CTIP does not delete cells from a file"))
    if "FREQ" in fields.columns and fields.get("FREQ") != "A":
        fields.error("FREQ", _("A (annual)"))
    if "UNIT_MEASURE" in fields.columns and fields.get("UNIT_MEASURE") not in {"", "NUMBER"}:
        fields.error("UNIT_MEASURE", _("NUMBER (counts of persons, not rates)"))
    if "UNIT_MULT" in fields.columns and fields.get("UNIT_MULT") not in {"", "0"}:
        fields.error("UNIT_MULT", _("0 or empty: values in units, not thousands"))
    if "CONF_STATUS" in fields.columns and fields.get("CONF_STATUS").upper() not in {"", "F"}:
        # the sender marked it confidential: CTIP would publish it as if it were free
        fields.error("CONF_STATUS", _("F (free): send confidential cells as not reported"))


def _year(fields: Fields, ctx: Context) -> int:
    raw = fields.get("TIME_PERIOD")
    period = raw[:-3] if raw.upper().endswith("-A1") else raw  # 2025-A1 is the year 2025
    if not (period.isdigit() and len(period) == 4):
        fields.error("TIME_PERIOD", year_expected(ctx.year))
        return 0
    if int(period) != ctx.year:
        fields.error("TIME_PERIOD", year_in_round_expected(ctx.year))
    return int(period)


def _value(fields: Fields) -> tuple[int | None, str]:
    raw = fields.get("OBS_VALUE").replace(" ", "")
    if raw.casefold() in MISSING:
        return None, ValueStatus.NOT_REPORTED
    try:
        number = float(raw)
        if not (math.isfinite(number) and number.is_integer() and 0 <= number <= MAX_VALUE):
            raise ValueError
    except ValueError:
        fields.error(
            "OBS_VALUE",
            _("a whole number from 0 to %(max)s, or empty or NaN (not reported)")
            % {"max": f"{MAX_VALUE:,}"},
        )
        return None, ValueStatus.REPORTED
    return int(number), ValueStatus.REPORTED


def parse_sdmx_csv(row: Row, ctx: Context) -> ParsedCell:
    fields = Fields(row)
    _structure(fields)
    area = fields.get("REF_AREA")
    country = ctx.countries.get(area.lstrip("0") or area) if area.isdigit() else None
    if country is None:
        fields.error("REF_AREA", _("a country's UN M49 code, e.g. 368 (Iraq)"))
    cell = CELL_OF_SERIES.get(fields.get("SERIES").upper())
    if cell is None:
        fields.error("SERIES", _("one of: %(codes)s") % {"codes": ", ".join(CELL_OF_SERIES)})
    sex = fields.get("SEX") or Sex.TOTAL
    if sex not in Sex.values:
        fields.error("SEX", _("one of: %(codes)s") % {"codes": ", ".join(Sex.values)})
    age = fields.get("AGE") or AgeGroup.TOTAL
    if age not in AgeGroup.values:
        fields.error("AGE", _("one of: %(codes)s") % {"codes": ", ".join(AgeGroup.values)})
    value, status = _value(fields)
    indicator, dimension, category = cell or ("", "", "")
    return ParsedCell(
        row=row.number,
        country=country or "",
        indicator=indicator,
        sex=sex,
        age=age,
        dimension=dimension,
        category=category,
        value=value,
        value_status=status,
        year=_year(fields, ctx),
    )


SDMX_CSV_LAYOUT = CellLayout(NAME, frozenset(), parse_sdmx_csv)
