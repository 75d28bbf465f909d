"""Getting statistics out in the formats the ecosystem reads.

An analyst's export covers every submitted, validated or published submission of the round,
unsuppressed. A public export covers only the latest published release, after disclosure
control: suppressed cells carry no number at all.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

from django.db import connection
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.codes import FormOfExploitation
from ctip.core.exports import csv_bytes, spreadsheet_safe
from ctip.core.models import Country, Region, User
from ctip.core.policies import not_found
from ctip.core.reference import country_name
from ctip.statistics import disclosure, selectors
from ctip.statistics.codes import Dimension, StatisticsAction, SubmissionStatus
from ctip.statistics.disclosure import Cell
from ctip.statistics.figures import round_figures
from ctip.statistics.layouts import UNODC_AGE, UNODC_COLUMNS, UNODC_FORMS, UNODC_SEX
from ctip.statistics.models import PublishedRelease, ReportingRound
from ctip.statistics.sdmx import ATTRIBUTES, DATAFLOW_STRUCTURE_ID, DIMENSIONS, series_code
from ctip.statistics.services import country_areas

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "dp-csv": ("text/csv; charset=utf-8", "csv"),
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
    "conf_status",
]
# dataUNODC's words, as the dataUNODC import (`layouts`) reads them: one place for each list.
SEX_LABELS = {str(code): label.capitalize() for label, code in UNODC_SEX.items()}
AGE_LABELS = {str(code): label.capitalize() for label, code in UNODC_AGE.items()}
FORM_LABELS = {str(code): label.capitalize() for label, code in UNODC_FORMS.items()}
UNODC_DIMENSIONS: dict[str, str] = {
    Dimension.TOTAL: "Total",
    Dimension.FORM_OF_EXPLOITATION: "by form of exploitation",
    Dimension.CITIZENSHIP: "by citizenship",
    Dimension.CONFLICT: "by conflict link",
}


@dataclass(frozen=True)
class Table:
    """What an export writes: the cells, and what the file says about where they come from."""

    cells: list[Cell]
    year: int
    source: str
    threshold: int
    dp_epsilon: float | None = None
    dp_cells: tuple[tuple[str, int], ...] = ()


def internal_table(round_: ReportingRound) -> Table:
    submissions = round_.submissions.filter(
        status__in=[
            SubmissionStatus.SUBMITTED,
            SubmissionStatus.VALIDATED,
            SubmissionStatus.PUBLISHED,
        ]
    )
    cells = dict(round_figures(submissions, deduplicate=True).cells)
    disclosure.add_area_totals(cells, country_areas())
    return Table(
        disclosure.open_cells(cells),
        round_.year,
        f"CTIP {round_.year} submitted data, de-duplicated (not disclosure-controlled)",
        0,
    )


def public_table(release: PublishedRelease) -> Table:
    return Table(
        selectors.release_cells(release),
        release.round.year,
        f"CTIP {release.round.year} release v{release.version} ({release.method})",
        release.threshold,
        release.dp_epsilon,
        tuple((c["area"], c["value"]) for c in release.dp_cells),
    )


class Names:
    """Country and region names for the export columns and pages, looked up once a few
    minutes per process (reference data; `_KEPT`), not once per page."""

    def __init__(self) -> None:
        self.countries, self.regions = _reference_names()

    def area(self, code: str) -> str:
        """The area's English name, as the exports give it."""
        country = self.countries.get(code)
        return country.name if country else self.regions.get(code, code)

    def shown(self, code: str) -> str:
        """The area's name in the reader's language, for pages."""
        country = self.countries.get(code)
        if country is not None:
            return country_name(country)
        return gettext(self.regions[code]) if code in self.regions else code


_KEPT: dict[tuple[str, int, int], tuple[float, dict[str, Country], dict[str, str]]] = {}
KEPT_SECONDS = 300


def _reference_names() -> tuple[dict[str, Country], dict[str, str]]:
    """The countries (with their regions) and region names: 750 model instances, read again
    when the tables' sizes change or after KEPT_SECONDS (a renamed country shows within
    minutes; `ctip load_reference_data` runs at upgrades)."""
    key = (connection.settings_dict["NAME"], Country.objects.count(), Region.objects.count())
    kept = _KEPT.get(key)
    if kept is None or kept[0] < time.monotonic():
        countries = {c.alpha3: c for c in Country.objects.select_related("region", "subregion")}
        regions = {r.m49: r.name for r in Region.objects.all()}
        regions[disclosure.WORLD] = "World"
        _KEPT.clear()
        kept = _KEPT[key] = (time.monotonic() + KEPT_SECONDS, countries, regions)
    return kept[1], kept[2]


def _long_row(cell: Cell, names: Names, year: int) -> list[object]:
    """The columns CTIP's own long format and XLSX share; no number for a hidden cell."""
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


def to_csv(table: Table) -> bytes:
    names = Names()
    return csv_bytes(
        LONG_HEADER, ([*_long_row(c, names, table.year), c.status] for c in table.cells)
    )


def unodc_category(cell: Cell) -> str:
    """A form of exploitation in dataUNODC's words (“Sexual exploitation”), a form GLOTIP
    does not list by its English label, which the dataUNODC import reads back too."""
    if cell.dimension != Dimension.FORM_OF_EXPLOITATION:
        return cell.category
    if cell.category in FORM_LABELS:
        return FORM_LABELS[cell.category]
    with translation.override("en"):
        labels = dict(FormOfExploitation.choices)
        return str(labels.get(cell.category, cell.category))


def to_unodc(table: Table) -> bytes:
    """dataUNODC's GLOTIP long format, country rows only, with its column names."""
    names = Names()
    rows = []
    for c in table.cells:
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
                unodc_category(c),
                SEX_LABELS.get(c.sex, c.sex),
                AGE_LABELS.get(c.age, c.age),
                table.year,
                "Counts",
                c.shown.text,
                table.source,
            ]
        )
    return csv_bytes(UNODC_COLUMNS, rows)


HXL_COLUMNS = [
    # (header, HXL hashtag): tags of the HXL 1.1 dictionary; #meta only where it has none
    ("Country code", "#country+code"),
    ("Country", "#country+name"),
    ("Region code", "#region+code"),
    ("Region", "#region+name"),
    ("Indicator", "#indicator+name"),
    ("Sex", "#meta+sex"),
    ("Age", "#meta+age"),
    ("Dimension", "#meta+dimension"),
    ("Category", "#meta+category"),
    ("Year", "#date+year"),
    ("Value", "#indicator+num"),
    ("Status", "#status+code"),
]


def to_hxl(table: Table) -> bytes:
    """HXL: a hashtag row under the header, and no byte-order mark (HXL tools read it as
    part of the first header). A country row has its ISO 3166 alpha-3 code under
    #country+code; a region, sub-region or the world its M49 code under #region+code."""
    names = Names()
    rows: list[list[object]] = [[tag for _header, tag in HXL_COLUMNS]]
    for c in table.cells:
        area = [c.area, names.area(c.area), "", ""]
        if c.area not in names.countries:
            area = ["", "", c.area, names.area(c.area)]
        value = "" if c.suppressed else c.value
        breakdown = [c.indicator, c.sex, c.age, c.dimension, c.category]
        rows.append([*area, *breakdown, table.year, value, c.status])
    return csv_bytes([header for header, _tag in HXL_COLUMNS], rows, bom=False)


SDMX_CSV_HEADER = ["STRUCTURE", "STRUCTURE_ID", "ACTION", *DIMENSIONS, "OBS_VALUE", *ATTRIBUTES]


def to_sdmx_csv(table: Table) -> bytes:
    """SDMX-CSV 2.0 conforming to CTIP's dataflow (`ctip.statistics.sdmx`, SDG 16.2.2 codes).

    Every cell that has a series: detected victims in total and by form of exploitation, by
    sex and age, persons prosecuted, convicted, brought into formal contact. REF_AREA is the
    M49 code; a hidden value is NaN (sdmx1 cannot read an empty one) with CONF_STATUS A
    (small) or D (hidden to protect another cell).
    """
    names = Names()
    rows = []
    for c in table.cells:
        series = series_code(c.indicator, c.dimension, c.category)
        if series is None:
            continue  # citizenship and conflict breakdowns have no SDG series
        country = names.countries.get(c.area)
        rows.append(
            [
                "dataflow",
                DATAFLOW_STRUCTURE_ID,
                "I",
                "A",
                country.numeric if country else c.area,
                series,
                c.sex,
                c.age,
                table.year,
                "NaN" if c.suppressed else c.value,
                "A",
                c.status,
                "NUMBER",
            ]
        )
    return csv_bytes(SDMX_CSV_HEADER, rows, bom=False)


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    names = Names()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(LONG_HEADER)
    for c in table.cells:
        row = [
            spreadsheet_safe(v) if isinstance(v, str) else v
            for v in _long_row(c, names, table.year)
        ]
        sheet.append([*row[:-1], c.value, c.status])
    if table.dp_epsilon is not None:
        noisy = workbook.create_sheet("differentially private")
        noisy.append(DP_HEADER)
        for row in _dp_rows(table, names):
            noisy.append([spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
    about = workbook.create_sheet("about")
    about.append([spreadsheet_safe(table.source)])
    about.append([_(DISCLOSURE_NOTE) % {"k": table.threshold}])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DP_HEADER = ["area_code", "area", "indicator", "year", "value_with_noise", "epsilon"]
DISCLOSURE_NOTE = gettext_noop(
    "Hidden cells are empty. Status A: fewer than %(k)s victims. Status D: hidden so that a "
    "small number cannot be worked out from the totals; nothing is said about its size. "
    "Status F: published."
)


def _dp_rows(table: Table, names: Names) -> list[list[object]]:
    return [
        [area, names.area(area), "Detected trafficking victims", table.year, n, table.dp_epsilon]
        for area, n in table.dp_cells
    ]


def to_dp_csv(table: Table) -> bytes:
    """The differentially private table alone: never in the same file as the exact counts."""
    return csv_bytes(DP_HEADER, _dp_rows(table, Names()))


WRITERS = {
    "csv": to_csv,
    "dp-csv": to_dp_csv,
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

    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}")
    if public:
        table = public_table(selectors.latest_release(year=round_.year))
    else:
        if actor is not None:
            policies.require(actor, policies.COORDINATORS)
        table = internal_table(round_)
    if fmt == "dp-csv" and table.dp_epsilon is None:
        raise not_found()  # this release has no differentially private table
    data = WRITERS[fmt](table)
    content_type, extension = FORMATS[fmt]
    name = f"ctip-{round_.year}-{'public' if public else 'internal'}-{fmt}.{extension}"
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=StatisticsAction.EXPORTED,
        target=round_,
        details={"format": fmt, "public": public, "cells": len(table.cells)},
    )
    return data, content_type, name
