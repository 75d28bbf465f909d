"""Charts as Vega-Lite specifications (Altair), rendered to SVG on the server (vl-convert).

Data is always inline: vl-convert silently draws an empty chart when it cannot load a URL.
Pages show a chart as an <img> data URI, so the content security policy stays strict, and
always next to the table that holds the same numbers.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from pathlib import Path

from django.core.cache import cache

DATA_DIR = Path(__file__).parent / "data"
BLUE = "#0b5ea8"


def _svg_data_uri(spec: dict) -> str:
    """Render once per distinct chart: rendering takes a second or two, a cache hit nothing."""
    import vl_convert

    key = "chart:" + hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    uri = cache.get(key)
    if uri is None:
        svg = vl_convert.vegalite_to_svg(spec)
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        cache.set(key, uri, timeout=24 * 3600)
    return str(uri)


def bar_chart(rows: list[tuple[str, int]], *, title: str, value_title: str) -> str:
    """Horizontal bars, largest first."""
    import altair as alt

    data = alt.Data(values=[{"label": label, "value": value} for label, value in rows])
    chart = (
        alt.Chart(data, title=title, width=520)
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X("value:Q", title=value_title),
            y=alt.Y("label:N", sort="-x", title=None),
            tooltip=["label:N", "value:Q"],
        )
    )
    return _svg_data_uri(chart.to_dict())


@functools.cache
def _world() -> dict:
    return json.loads((DATA_DIR / "countries-110m.json").read_text(encoding="utf-8"))


CATEGORY_COLOURS = [BLUE, "#e07b39", "#b8332b", "#6b8e23"]


def world_map(
    values_by_numeric: dict[str, int] | dict[str, str],
    *,
    title: str,
    value_title: str,
    categories: list[str] | None = None,
) -> str:
    """A choropleth of the world; country ids are ISO 3166 numeric codes. Numbers are shaded
    on a scale; `categories` (a status, in legend order) get one colour each."""
    import altair as alt

    shapes = alt.Data(values=_world(), format=alt.DataFormat(type="topojson", feature="countries"))
    lookup = alt.LookupData(
        alt.Data(values=[{"id": int(k), "value": v} for k, v in values_by_numeric.items()]),
        key="id",
        fields=["value"],
    )
    if categories:
        scale = alt.Scale(domain=categories, range=CATEGORY_COLOURS[: len(categories)])
        color = alt.Color("value:N", title=value_title, scale=scale, sort=categories)
    else:
        color = alt.Color("value:Q", title=value_title, scale=alt.Scale(scheme="blues"))
    background = alt.Chart(shapes).mark_geoshape(fill="#e8ecf0", stroke="white", strokeWidth=0.3)
    filled = (
        alt.Chart(shapes)
        .mark_geoshape(stroke="white", strokeWidth=0.3)
        .transform_calculate(id="toNumber(datum.id)")
        .transform_lookup(lookup="id", from_=lookup)
        .transform_filter("isValid(datum.value)")
        .encode(color=color)
    )
    chart = (
        (background + filled).properties(title=title, width=640, height=340).project("equalEarth")
    )
    return _svg_data_uri(chart.to_dict())
