"""Testing a monthly series against its own history, and looking back at what followed.

The test is that of the CDC's Early Aberration Reporting System, monthly: a month's value
against the mean and standard deviation of the 12 months before it. The expected range runs
to the mean plus two spreads; the spread is the standard deviation, but never less than the
square root of the mean for a count (its Poisson noise), and never less than 1 for a count or
2 percentage points for a proportion, so that a quiet series does not alarm on a single
event. At least 6 known months are needed before a month is tested at all.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from ctip.warning.sources import Month

WINDOW = 12
MIN_HISTORY = 6
MIN_RELEASES = 3  # a proportion comes with releases, often quarterly: 3 in the 12 months
SPREADS = 2.0
COUNT_FLOOR = 1.0
PROPORTION_FLOOR = 0.02


@dataclass(frozen=True)
class Tested:
    month: Month
    value: float | None
    expected: float | None
    upper: float | None
    score: int | None  # framework.COMPUTED_SCALE; None when not tested or unknown

    @property
    def raised(self) -> bool:
        return (self.score or 0) >= 2


def against_history(
    values: dict[Month, float], first: Month, last: Month, *, proportion: bool
) -> list[Tested]:
    """Every month from `first` to `last`. A count is known from its first month with data
    (months before are unknown: CTIP was not used yet, which is not a quiet month), and a
    missing month after it is 0; a proportion's missing month is unknown (no release) and
    left out of the history. A series with no data at all is unknown throughout."""
    known_from = min(values, default=last + 1)
    found: list[Tested] = []
    for month in range(first, last + 1):
        value = _value(values, month, known_from, proportion)
        history = [
            v
            for m in range(max(month - WINDOW, first), month)
            if (v := _value(values, m, known_from, proportion)) is not None
        ]
        if len(history) < (MIN_RELEASES if proportion else MIN_HISTORY):
            found.append(Tested(month, value, None, None, None))
            continue
        expected = statistics.fmean(history)
        spread = math.sqrt(statistics.fmean([(v - expected) ** 2 for v in history]))
        floor = PROPORTION_FLOOR if proportion else max(COUNT_FLOOR, math.sqrt(expected))
        upper = expected + SPREADS * max(spread, floor)
        score = None
        if value is not None:
            score = 2 if value > upper else 1 if value > expected else 0
            if score == 2 and found and found[-1].raised:
                score = 3
        found.append(Tested(month, value, expected, upper, score))
    return found


def _value(
    values: dict[Month, float], month: Month, known_from: Month, proportion: bool
) -> float | None:
    if proportion or month < known_from:
        return values.get(month)
    return values.get(month, 0.0)


def trend(values: list[float | None]) -> float | None:
    """The mean of the last 3 months against the 3 before, as a relative change."""
    recent = [v for v in values[-3:] if v is not None]
    before = [v for v in values[-6:-3] if v is not None]
    if not recent or not before:
        return None
    base = statistics.fmean(before)
    if base == 0:
        return None if statistics.fmean(recent) == 0 else math.inf
    return statistics.fmean(recent) / base - 1


@dataclass(frozen=True)
class Lead:
    """A spike of the outcome and the first warning in the months before it."""

    spike: Month
    warning: Month | None

    @property
    def months(self) -> int | None:
        return None if self.warning is None else self.spike - self.warning


LOOKAHEAD = 6  # a warning counts as early for a spike within this many months after it


def look_back(warnings: set[Month], spikes: list[Month], last: Month) -> tuple[list[Lead], int]:
    """For each first spike of a run (an outcome above its range, after a month that was
    not), the earliest warning in the LOOKAHEAD months before it, if any; and how many
    warnings had no spike within LOOKAHEAD months after them (false alarms), counting only
    warnings whose LOOKAHEAD months have all passed by `last`."""
    starts = [m for m in spikes if m - 1 not in spikes]
    leads = []
    for spike in starts:
        before = [w for w in warnings if spike - LOOKAHEAD <= w < spike]
        leads.append(Lead(spike, min(before) if before else None))
    false_alarms = sum(
        1
        for w in warnings
        if w + LOOKAHEAD <= last and not any(w < s <= w + LOOKAHEAD for s in spikes)
    )
    return leads, false_alarms
