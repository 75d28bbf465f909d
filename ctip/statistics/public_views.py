"""Public pages of the statistics: no sign-in, published releases only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ctip.core.policies import not_found
from ctip.core.public_cache import public_page
from ctip.statistics import charts, selectors
from ctip.statistics.codes import FlowKind, Indicator
from ctip.statistics.exports import WRITERS, Names, export_statistics
from ctip.statistics.models import PublishedRelease

# The columns of the public table: (sex, age) of detected victims, dimension Total.
COLUMNS = [("_T", "_T"), ("F", "_T"), ("M", "_T"), ("_T", "Y0T17"), ("_T", "Y_GE18")]
REGIONS = {"002", "019", "142", "150", "009"}


@public_page
def public_index(request: HttpRequest) -> HttpResponse:
    from ctip.surveys.selectors import headlines

    return render(
        request,
        "statistics/public_index.html",
        {"releases": selectors.releases(), "surveys": headlines()},
    )


def download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def victim_rows(release: PublishedRelease, names: Names) -> dict[str, dict[str, Any]]:
    """Per area, its name and the published cells of COLUMNS (None where it has none)."""
    rows: dict[str, dict[str, Any]] = {}
    for cell in selectors.release_cells(release):
        if cell.indicator != Indicator.DETECTED_VICTIMS or cell.dimension != "Total":
            continue
        if (cell.sex, cell.age) in COLUMNS:
            row = rows.setdefault(
                cell.area,
                {"area": names.shown(cell.area), "code": cell.area, "cells": [None] * len(COLUMNS)},
            )
            row["cells"][COLUMNS.index((cell.sex, cell.age))] = cell.shown
    return rows


@public_page
def public_release(request: HttpRequest, year: int) -> HttpResponse:
    release = selectors.latest_release(year=year)
    names = Names()
    rows = victim_rows(release, names)
    ordered = sorted(rows.values(), key=lambda r: (r["code"] in names.countries, r["area"]))
    published = {
        code: row["cells"][0].value
        for code, row in rows.items()
        if row["cells"][0] is not None and row["cells"][0].value is not None
    }
    numeric = {code: c.numeric for code, c in names.countries.items()}
    map_values = {numeric[code]: n for code, n in published.items() if code in numeric}
    region_bars = [(names.shown(code), n) for code, n in published.items() if code in REGIONS]
    return render(
        request,
        "statistics/public_release.html",
        {
            "release": release,
            "rows": ordered,
            "formats": sorted(f for f in WRITERS if f != "dp-csv" or release.dp_epsilon),
            "flows": [
                {
                    "origin": names.shown(f.origin),
                    "destination": names.shown(f.destination),
                    "victims": f.victims,
                    "kind": FlowKind(f.kind).label,
                }
                for f in selectors.release_flows(release)
            ],
            "dp_rows": [
                {"area": names.shown(c["area"]), "value": c["value"]} for c in release.dp_cells
            ],
            "map": charts.world_map(
                map_values,
                title=_("Detected victims by country of detection"),
                value_title=_("Victims"),
            )
            if map_values
            else "",
            "regions": charts.bar_chart(
                sorted(region_bars, key=lambda r: -r[1]),
                title=_("Detected victims by region"),
                value_title=_("Victims"),
            )
            if region_bars
            else "",
        },
    )


def public_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    if fmt not in WRITERS:
        raise not_found()
    return download(
        *export_statistics(
            actor=None,
            actor_label="public",
            round_=selectors.round_get(year=year),
            fmt=fmt,
            public=True,
        )
    )


def public_dsd(request: HttpRequest) -> HttpResponse:
    """The SDMX data structure definition of the sdmx-csv exports."""
    from ctip.statistics.sdmx import dsd_xml  # pysdmx is loaded only for this page

    return HttpResponse(dsd_xml(), content_type="application/vnd.sdmx.structure+xml; version=3.0.0")
