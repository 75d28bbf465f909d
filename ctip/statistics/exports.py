"""Getting statistics out in the formats the ecosystem reads.

An analyst's export covers every submitted, validated or published submission of the round,
unsuppressed. A public export covers only the latest published release, after disclosure
control: suppressed cells carry no number at all.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.exports import csv_bytes, spreadsheet_safe
from ctip.core.models import Country, Region, User
from ctip.statistics import disclosure
from ctip.statistics.codes import Dimension, StatisticsAction, SubmissionStatus
from ctip.statistics.figures import round_figures
from ctip.statistics.layouts import UNODC_COLUMNS
from ctip.statistics.models import PublishedRelease, ReportingRound
from ctip.statistics.sdmx import STRUCTURE_ID
from ctip.statistics.services import country_areas

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "sdmx-csv": ("application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8", "csv"),
    "hxl": ("text/csv; charset=utf-8", "csv"),
    "unodc": ("text/csv; charset=utf-8", "csv"),
}
LONG_HEADER = [
    "area_code",
    "area",
    "indicator",
    "sex",
    "age",
    "dimension",
    "category",
    "year",
    "value",
    "obs_status",
]
SEX_LABELS = {"_T": "Total", "F": "Female", "M": "Male", "_U": "Unknown"}
AGE_LABELS = {
    "_T": "Total",
    "Y0T17": "0 to 17 years",
    "Y_GE18": "18 years or over",
    "_U": "Unknown",
}
UNODC_DIMENSIONS: dict[str, str] = {
    Dimension.TOTAL: "Total",
    Dimension.FORM_OF_EXPLOITATION: "by form of exploitation",
    Dimension.CITIZENSHIP: "by citizenship",
    Dimension.CONFLICT: "by conflict link",
}


@dataclass(frozen=True)
class Cell:
    area: str
    indicator: str
    sex: str
    age: str
    dimension: str
    category: str
    value: int | None  # None when suppressed
    suppressed: bool


def internal_cells(round_: ReportingRound) -> tuple[list[Cell], str]:
    submissions = round_.submissions.filter(
        status__in=[
            SubmissionStatus.SUBMITTED,
            SubmissionStatus.VALIDATED,
            SubmissionStatus.PUBLISHED,
        ]
    )
    cells = dict(round_figures(submissions, deduplicate=True).cells)
    disclosure.add_area_totals(cells, country_areas())
    rows = [Cell(*key, value=value, suppressed=False) for key, value in sorted(cells.items())]
    return rows, f"CTIP {round_.year} submitted data, de-duplicated (not disclosure-controlled)"


def public_cells(release: PublishedRelease) -> tuple[list[Cell], str]:
    rows = [
        Cell(
            c["area"],
            c["indicator"],
            c["sex"],
            c["age"],
            c["dimension"],
            c["category"],
            None if c["suppressed"] else int(c["value"]),
            c["suppressed"],
        )
        for c in release.cells
    ]
    return rows, f"CTIP {release.round.year} release v{release.version} ({release.method})"


class Names:
    """Country and region names for the export columns, looked up once."""

    def __init__(self) -> None:
        self.countries = {
            c.alpha3: c for c in Country.objects.select_related("region", "subregion")
        }
        self.regions = {r.m49: r.name for r in Region.objects.all()}
        self.regions[disclosure.WORLD] = "World"

    def area(self, code: str) -> str:
        country = self.countries.get(code)
        return country.name if country else self.regions.get(code, code)


def _long_row(cell: Cell, names: Names, year: int) -> list[object]:
    """The columns CTIP's own long format, HXL and XLSX share; no number for a hidden cell."""
    return [
        cell.area,
        names.area(cell.area),
        cell.indicator,
        cell.sex,
        cell.age,
        cell.dimension,
        cell.category,
        year,
        "" if cell.suppressed else cell.value,
    ]


def _shown(cell: Cell, threshold: int) -> str:
    return f"<{threshold}" if cell.suppressed else str(cell.value)


def to_csv(cells: list[Cell], year: int, source: str, threshold: int) -> bytes:
    names = Names()
    return csv_bytes(
        LONG_HEADER,
        ([*_long_row(c, names, year), "C" if c.suppressed else "A"] for c in cells),
    )


def to_unodc(cells: list[Cell], year: int, source: str, threshold: int) -> bytes:
    """dataUNODC's GLOTIP long format, country rows only, with its column names."""
    names = Names()
    rows = []
    for c in cells:
        country = names.countries.get(c.area)
        if country is None:
            continue
        rows.append(
            [
                c.area,
                country.name,
                str(country.region or ""),
                str(country.subregion or ""),
                c.indicator,
                UNODC_DIMENSIONS.get(c.dimension, c.dimension),
                c.category,
                SEX_LABELS.get(c.sex, c.sex),
                AGE_LABELS.get(c.age, c.age),
                year,
                "Counts",
                _shown(c, threshold),
                source,
            ]
        )
    return csv_bytes(UNODC_COLUMNS, rows)


def to_hxl(cells: list[Cell], year: int, source: str, threshold: int) -> bytes:
    names = Names()
    header = [
        "Area code",
        "Area",
        "Indicator",
        "Sex",
        "Age",
        "Dimension",
        "Category",
        "Year",
        "Value",
        "Status",
    ]
    tags = [
        "#country+code",
        "#country+name",
        "#indicator+name",
        "#meta+sex",
        "#meta+age",
        "#meta+dimension",
        "#meta+category",
        "#date+year",
        "#indicator+num",
        "#status",
    ]
    rows = [tags] + [
        [*_long_row(c, names, year), "suppressed" if c.suppressed else "published"] for c in cells
    ]
    return csv_bytes(header, rows)


def to_sdmx_csv(cells: list[Cell], year: int, source: str, threshold: int) -> bytes:
    """SDMX-CSV 2.0 conforming to CTIP's DSD (`ctip.statistics.sdmx`, codes of SDG 16.2.2).

    REF_AREA is the M49 code; a suppressed value is NaN with CONF_STATUS C (confidential).
    """
    names = Names()
    rows = []
    for c in cells:
        if c.indicator != "Detected trafficking victims" or c.dimension != Dimension.TOTAL:
            continue
        country = names.countries.get(c.area)
        area = country.numeric if country else c.area
        rows.append(
            [
                "datastructure",
                STRUCTURE_ID,
                "I",
                "A",
                area,
                "VC_HTF_DETV",
                c.sex,
                c.age,
                year,
                "NaN" if c.suppressed else c.value,
                "A",
                "C" if c.suppressed else "F",
                "NUMBER",
            ]
        )
    return csv_bytes(
        [
            "STRUCTURE",
            "STRUCTURE_ID",
            "ACTION",
            "FREQ",
            "REF_AREA",
            "SERIES",
            "SEX",
            "AGE",
            "TIME_PERIOD",
            "OBS_VALUE",
            "OBS_STATUS",
            "CONF_STATUS",
            "UNIT_MEASURE",
        ],
        rows,
        bom=False,
    )


def to_xlsx(cells: list[Cell], year: int, source: str, threshold: int) -> bytes:
    from openpyxl import Workbook

    names = Names()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(LONG_HEADER)
    for c in cells:
        row = [spreadsheet_safe(v) if isinstance(v, str) else v for v in _long_row(c, names, year)]
        sheet.append([*row[:-1], None if c.suppressed else c.value, "C" if c.suppressed else "A"])
    about = workbook.create_sheet("about")
    about.append([spreadsheet_safe(source)])
    about.append(
        [
            _(
                "Suppressed cells (fewer than %(k)s victims, or revealing one) are empty "
                "with status C."
            )
            % {"k": threshold}
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WRITERS = {
    "csv": to_csv,
    "unodc": to_unodc,
    "hxl": to_hxl,
    "sdmx-csv": to_sdmx_csv,
    "xlsx": to_xlsx,
}


def export_statistics(
    *, actor: User | None, round_: ReportingRound, fmt: str, public: bool, actor_label: str = ""
) -> tuple[bytes, str, str]:
    """Return (data, content type, file name) and record the export in the audit log."""
    from ctip.statistics import policies
    from ctip.statistics.selectors import latest_release

    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}")
    if public:
        release = latest_release(year=round_.year)
        cells, source = public_cells(release)
        threshold = release.threshold
    else:
        if actor is not None:
            policies.require(actor, policies.COORDINATORS)
        cells, source = internal_cells(round_)
        threshold = 0
    data = WRITERS[fmt](cells, round_.year, source, threshold)
    content_type, extension = FORMATS[fmt]
    name = f"ctip-{round_.year}-{'public' if public else 'internal'}-{fmt}.{extension}"
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=StatisticsAction.EXPORTED,
        target=round_,
        details={"format": fmt, "public": public, "cells": len(cells)},
    )
    return data, content_type, name
