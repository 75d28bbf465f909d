"""The report's charts drawn from their Vega-Lite specifications: SVG for Typst, PNG for
Word, with the report's fonts so that Arabic and Chinese labels are drawn, not boxes."""

from __future__ import annotations

import functools
from typing import Any

from ctip.reports import fonts


@functools.cache
def _converter() -> Any:
    import vl_convert

    for folder in fonts.directories():
        if folder.exists():
            vl_convert.register_font_directory(str(folder))
    return vl_convert


def svg(spec: dict[str, Any]) -> bytes:
    return str(_converter().vegalite_to_svg(spec)).encode()


def png(spec: dict[str, Any]) -> bytes:
    return bytes(_converter().vegalite_to_png(spec, scale=2))
