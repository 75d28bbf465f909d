"""Validation rules, declared as data: left side, operator, right side (as in DHIS2).

A side is a sum of cells of one submission's long-format table, selected by indicator and
by sex/age/dimension/category patterns ("*" = every part except the total). Errors block
submission; warnings need a focal point's explanation.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ctip.statistics.codes import Dimension, Indicator

Key = tuple[str, str, str, str, str]  # indicator, sex, age, dimension, category


@dataclass(frozen=True)
class Side:
    indicator: str
    sex: str = "_T"
    age: str = "_T"
    dimension: str = Dimension.TOTAL
    category: str = "Total"

    def cells(self, table: dict[Key, int]) -> list[Key]:
        def matches(value: str, pattern: str, total: str) -> bool:
            return value != total if pattern == "*" else value == pattern

        return [
            key
            for key in table
            if key[0] == self.indicator
            and matches(key[1], self.sex, "_T")
            and matches(key[2], self.age, "_T")
            and key[3] == self.dimension
            and matches(key[4], self.category, "Total")
        ]

    def value(self, table: dict[Key, int]) -> int | None:
        cells = self.cells(table)
        return sum(table[k] for k in cells) if cells else None


@dataclass(frozen=True)
class Rule:
    code: str
    description: object
    left: Side
    op: str
    right: Side
    severity: str = "error"  # or "warning"

    @property
    def compare(self) -> Callable[[int, int], bool]:
        return {"<=": operator.le, ">=": operator.ge, "==": operator.eq}[self.op]


def _per_indicator() -> list[Rule]:
    rules = []
    for indicator in Indicator.values:
        rules += [
            Rule(
                f"sex_parts_le_total:{indicator}",
                _("Victims by sex add up to no more than the total"),
                Side(indicator, sex="*"),
                "<=",
                Side(indicator),
            ),
            Rule(
                f"age_parts_le_total:{indicator}",
                _("Victims by age add up to no more than the total"),
                Side(indicator, age="*"),
                "<=",
                Side(indicator),
            ),
            Rule(
                f"children_le_total:{indicator}",
                _("Children are no more than the total"),
                Side(indicator, age="Y0T17"),
                "<=",
                Side(indicator),
            ),
            Rule(
                f"citizenship_le_total:{indicator}",
                _("Nationals and foreigners add up to no more than the total"),
                Side(indicator, dimension=Dimension.CITIZENSHIP, category="*"),
                "<=",
                Side(indicator),
            ),
            Rule(
                f"conflict_le_total:{indicator}",
                _("Conflict-related victims are no more than the total"),
                Side(indicator, dimension=Dimension.CONFLICT, category="*"),
                "<=",
                Side(indicator),
            ),
        ]
    return rules


RULES: list[Rule] = [
    *_per_indicator(),
    Rule(
        "convicted_le_prosecuted",
        _("Persons convicted are usually no more than prosecuted"),
        Side(Indicator.CONVICTED),
        "<=",
        Side(Indicator.PROSECUTED),
        severity="warning",
    ),
]
TREND_FACTOR = 3


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    cell: str
    message: str
    left: int | None
    right: int | None


def check_table(table: dict[Key, int], previous: dict[Key, int] | None = None) -> list[Finding]:
    """Apply every rule to one submission's table (and trend warnings against the last round)."""
    findings = []
    for rule in RULES:
        left, right = rule.left.value(table), rule.right.value(table)
        if left is None or right is None or rule.compare(left, right):
            continue
        findings.append(
            Finding(rule.code, rule.severity, rule.code, str(rule.description), left, right)
        )
    for key, value in sorted((previous or {}).items()):
        now = table.get(key)
        if now is None or value == 0:
            continue
        if now > TREND_FACTOR * value or now * TREND_FACTOR < value:
            cell = " / ".join(key)
            findings.append(
                Finding(
                    "trend",
                    "warning",
                    cell,
                    str(_("More than 3× or less than a third of the previous round")),
                    now,
                    value,
                )
            )
    return findings
