"""What every all-or-none import shares: its rows' ids, each once per file, and the ids
imported before, which are skipped rather than imported twice."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ctip.tabular import formula_like

ID_LIMIT = 100


@dataclass
class RowIds:
    seen: set[str]  # ids imported before
    in_file: dict[str, int] = field(default_factory=dict)  # id → the row it was first on

    def check(self, number: int, raw: Any) -> tuple[str, str]:
        """(the id, what is wrong with it): "" when the row is new, "already" when it was
        imported before, or the message naming the problem."""
        value = str(raw or "").strip()
        if not value or len(value) > ID_LIMIT or formula_like(value):
            return value, _("An id of 1 to %(n)s characters.") % {"n": ID_LIMIT}
        if value in self.in_file:
            return value, _("Once per file: row %(row)s has the same id.") % {
                "row": self.in_file[value]
            }
        self.in_file[value] = number
        return value, "already" if value in self.seen else ""

    def new_rows(
        self, rows: Iterable[tuple[int, dict[str, Any]]], column: str, report: Any
    ) -> Iterator[tuple[int, dict[str, Any], str]]:
        """(number, row, id) of the rows to import; the others are counted in
        `report.already` or named with `report.problem(row, column, value, expected)`."""
        for number, row in rows:
            value, problem = self.check(number, row.get(column))
            if problem == "already":
                report.already += 1
            elif problem:
                report.problem(number, column, value, problem)
            else:
                yield number, row, value
