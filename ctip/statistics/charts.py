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
import re
from collections.abc import Callable
from pathlib import Path

from django.core.cache import cache

DATA_DIR = Path(__file__).parent / "data"
BLUE = "#0b5ea8"
CHART_VERSION = 3  # bump when a chart's drawing changes, so cached renderings are not reused


def _svg_data_uri(inputs: dict, build: Callable[[], dict]) -> str:
    """Render once per distinct chart. The cache key is made from the chart's inputs, not its
    specification: building a specification (with the world's shapes inline) and validating
    it costs more than half a second, a cache hit nothing."""
    import vl_convert

    text = json.dumps({**inputs, "version": CHART_VERSION}, sort_keys=True, default=str)
    key = "chart:" + hashlib.sha256(text.encode()).hexdigest()
    uri = cache.get(key)
    if uri is None:
        svg = _compact(vl_convert.vegalite_to_svg(build()))
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        cache.set(key, uri, timeout=24 * 3600)
    return str(uri)


def _compact(svg: str) -> str:
    """Shapes drawn to the whole pixel, a point repeated once: the world map falls from 185 to
    about 75 KB (its page stays under 200 KB on a slow link) and looks the same at its size."""

    def path(match: re.Match[str]) -> str:
        d = re.sub(r"-?\d+\.\d+", lambda n: str(round(float(n.group()))), match.group(1))
        return ' d="' + re.sub(r"(L-?\d+,-?\d+)(?:\1)+", r"\1", d) + '"'

    return re.sub(r' d="([^"]*)"', path, svg)


def bar_chart(rows: list[tuple[str, int]], *, title: str, value_title: str) -> str:
    """Horizontal bars, largest first."""
    return _svg_data_uri(
        {"bars": rows, "title": title, "value_title": value_title},
        lambda: bar_spec(rows, title=title, value_title=value_title),
    )


def bar_spec(rows: list[tuple[str, int]], *, title: str, value_title: str) -> dict:
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
    return dict(chart.to_dict())


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
    return _svg_data_uri(
        {
            "map": values_by_numeric,
            "title": title,
            "value_title": value_title,
            "categories": categories,
        },
        lambda: map_spec(
            values_by_numeric, title=title, value_title=value_title, categories=categories
        ),
    )


def map_spec(
    values_by_numeric: dict[str, int] | dict[str, str],
    *,
    title: str,
    value_title: str,
    categories: list[str] | None,
) -> dict:
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
    return dict(chart.to_dict())


def points_map(points: list[tuple[float, float, int]], *, title: str, size_title: str) -> str:
    """Points (latitude, longitude, size) over the countries, framed on the points' extent
    (Mercator centred on them): an offline map of places, from the same world shapes."""
    return _svg_data_uri(
        {"points": points, "title": title, "size_title": size_title},
        lambda: _points_spec(points, title=title, size_title=size_title),
    )


def _points_spec(points: list[tuple[float, float, int]], *, title: str, size_title: str) -> dict:
    import math

    import altair as alt

    lats, lons = [p[0] for p in points], [p[1] for p in points]
    span = max(max(lats) - min(lats), max(lons) - min(lons), 2.0) + 2
    width = 520
    projection = alt.Projection(
        type="mercator",
        center=[(min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2],
        scale=width / math.radians(span),
        translate=[width / 2, width / 2],
    )
    shapes = alt.Data(values=_world(), format=alt.DataFormat(type="topojson", feature="countries"))
    land = alt.Chart(shapes).mark_geoshape(fill="#e8ecf0", stroke="#9aa5b1", strokeWidth=0.6)
    dots = (
        alt.Chart(alt.Data(values=[{"lat": a, "lon": o, "n": n} for a, o, n in points]))
        .mark_circle(color="#b8332b", opacity=0.6)
        .encode(
            latitude="lat:Q",
            longitude="lon:Q",
            size=alt.Size("n:Q", title=size_title, scale=alt.Scale(range=[20, 400])),
        )
    )
    chart = (
        (land + dots)
        .properties(title=title, width=width, height=width)
        .project(**projection.to_dict())
    )
    return dict(chart.to_dict())


def interval_chart(
    rows: list[tuple[str, float, float | None, float | None]], *, title: str, value_title: str
) -> str:
    """Estimates with their 95 % intervals: a point and a line per group (proportions)."""
    return _svg_data_uri(
        {"intervals": rows, "title": title, "value_title": value_title},
        lambda: _interval_spec(rows, title=title, value_title=value_title),
    )


def _interval_spec(
    rows: list[tuple[str, float, float | None, float | None]], *, title: str, value_title: str
) -> dict:
    import altair as alt

    data = alt.Data(values=[{"group": g, "p": p, "low": lo, "high": hi} for g, p, lo, hi in rows])
    base = alt.Chart(data, title=title, width=520)
    scale = alt.Scale(domain=[0, 1])
    y = alt.Y("group:N", title=None, sort=None)
    bars = base.mark_rule(color=BLUE, strokeWidth=2).encode(
        x=alt.X("low:Q", title=value_title, scale=scale, axis=alt.Axis(format="%")),
        x2="high:Q",
        y=y,
    )
    points = base.mark_point(color=BLUE, filled=True, size=60).encode(x="p:Q", y=y)
    return dict((bars + points).to_dict())


def timeline_chart(
    scores: list[tuple[str, float | None]],
    events: list[tuple[str, str, float]],
    *,
    score_title: str,
    events_title: str,
) -> str:
    """A score (0-1) month by month above the events that followed, on the same months: to
    see whether a warning came before the events."""
    return _svg_data_uri(
        {"scores": scores, "events": events, "titles": [score_title, events_title]},
        lambda: _timeline_spec(scores, events, score_title=score_title, events_title=events_title),
    )


def _timeline_spec(
    scores: list[tuple[str, float | None]],
    events: list[tuple[str, str, float]],
    *,
    score_title: str,
    events_title: str,
) -> dict:
    import altair as alt

    x = alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-60))
    top = (
        alt.Chart(
            alt.Data(values=[{"month": m, "score": s} for m, s in scores]), width=560, height=140
        )
        .mark_line(point=True, color=BLUE)
        .encode(x=x, y=alt.Y("score:Q", title=score_title, scale=alt.Scale(domain=[0, 1])))
    )
    bottom = (
        alt.Chart(
            alt.Data(values=[{"month": m, "series": n, "value": v} for m, n, v in events]),
            width=560,
            height=120,
        )
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("value:Q", title=events_title),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
            xOffset="series:N",
        )
    )
    return dict(alt.vconcat(top, bottom).to_dict())
