"""Figures in the authors' texts. `{victims_detected}` stands for a figure of the year's
data, so a translation never carries a number typed by hand and gone stale; `{{` and `}}`
are braces. Only bare names are allowed: no attribute, index, conversion or format
specification, so a text can neither reach into Python objects nor change a figure's form.
"""

from __future__ import annotations

import string
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Piece:
    """A run of the author's text, or (`figure` set) the place of a figure."""

    text: str = ""
    figure: str = ""


def pieces(text: str) -> list[Piece]:
    """The text cut at its placeholders; ValidationError when one is malformed."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError:
        raise ValidationError(
            _(
                "A brace is not closed or not opened: write {name} for a figure, "
                "{{ or }} for a brace."
            )
        ) from None
    out: list[Piece] = []
    for literal, name, spec, conversion in parsed:
        if literal:
            out.append(Piece(text=literal))
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValidationError(
                _("“{%(name)s}” is not a figure's name: write it as {name}, without anything else.")
                % {
                    "name": name
                    + (f"!{conversion}" if conversion else "")
                    + (f":{spec}" if spec else "")
                }
            )
        out.append(Piece(figure=name))
    return out


def check(text: str, known: Collection[str]) -> None:
    """ValidationError naming every placeholder that is not one of the `known` figures."""
    unknown = sorted({p.figure for p in pieces(text) if p.figure and p.figure not in known})
    if unknown:
        raise ValidationError(
            _("Unknown figures: %(unknown)s. The figures of this section are: %(known)s.")
            % {
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "known": ", ".join(f"{{{name}}}" for name in sorted(known)) or "—",
            }
        )
