"""A situation's levels month by month: the signals tested against their history combined with
the analysts' scores in force that month (the latest assessment on or before it), and the
look back at what followed. One function builds it from fresh signals (the computation) and
from the stored ones (the pages), so the two cannot disagree."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from ctip.warning import framework
from ctip.warning.codes import Signal
from ctip.warning.models import IndicatorScore, SignalMonth
from ctip.warning.signals import Lead, Tested, look_back, trend
from ctip.warning.sources import Month, first_day, month_of

# The outcomes a warning should come before, and the signals that may lead them.
OUTCOMES = (Signal.ABDUCTIONS, Signal.INCIDENTS)
LEADING = tuple(s for s in Signal if s not in (*OUTCOMES, Signal.SEXUAL_VIOLENCE))


def tested_month(as_of: datetime.date) -> Month:
    """The last complete month before `as_of`: the month a computation as of that day tests."""
    return month_of(as_of) - 1


@dataclass(frozen=True)
class MonthLevel:
    month: Month
    combined: framework.Combined

    @property
    def day(self) -> datetime.date:
        return first_day(self.month)


@dataclass
class Situation:
    """Everything the pages, the command, the exports and the alerts say about a situation."""

    pk: int
    tested: dict[str, list[Tested]]  # signal -> months in order
    levels: list[MonthLevel]
    assessed: dict[str, int | None]  # the scores in force in the last month

    @property
    def latest(self) -> MonthLevel | None:
        return self.levels[-1] if self.levels else None

    @property
    def previous(self) -> MonthLevel | None:
        return self.levels[-2] if len(self.levels) > 1 else None

    def last(self, signal: str) -> Tested | None:
        months = self.tested.get(signal) or []
        return months[-1] if months else None

    def raised(self) -> list[str]:
        return [s for s in Signal if (t := self.last(s)) is not None and t.raised]

    def trend(self, signal: str) -> float | None:
        return trend([t.value for t in self.tested.get(signal, [])])

    def look_back(self) -> tuple[list[Lead], int]:
        """Warnings are the months a leading signal rose above its range: not the level,
        which counts the outcomes themselves (an earlier spike would 'warn' of the next)."""
        warnings = {t.month for s in LEADING for t in self.tested.get(s, []) if t.raised}
        spikes = sorted({t.month for s in OUTCOMES for t in self.tested.get(s, []) if t.raised})
        last = self.levels[-1].month if self.levels else 0
        return look_back(warnings, spikes, last)


Assessments = list[tuple[datetime.date, dict[str, int | None]]]


def assessments_by_situation(situations: list[int], until: datetime.date) -> dict[int, Assessments]:
    """The person-scored indicators of each assessment, oldest first. Scores only: the
    evidence stays encrypted and unread."""
    found: dict[int, dict[tuple[datetime.date, int], dict[str, int | None]]] = defaultdict(dict)
    rows = IndicatorScore.objects.filter(
        assessment__situation_id__in=situations, assessment__as_of__lte=until
    ).values_list(
        "assessment__situation_id", "assessment__as_of", "assessment_id", "indicator", "score"
    )
    for situation, as_of, assessment, indicator, score in rows:
        found[situation].setdefault((as_of, assessment), {})[indicator] = score
    return {
        pk: [(key[0], scores) for key, scores in sorted(by.items())] for pk, by in found.items()
    }


def situation_levels(
    pk: int, tested: dict[str, list[Tested]], assessments: Assessments, until: datetime.date
) -> Situation:
    """A month takes the assessment in force at its end; the last month, the latest one up to
    `until` (an assessment recorded today counts at once)."""
    months = sorted({t.month for series in tested.values() for t in series})
    months = months or [tested_month(until)]  # never computed: the assessments alone
    by_month = {s: {t.month: t.score for t in series} for s, series in tested.items()}
    levels, assessed, index = [], {}, 0
    for month in months:
        cutoff = until if month == months[-1] else first_day(month + 1) - datetime.timedelta(1)
        while index < len(assessments) and assessments[index][0] <= cutoff:
            assessed = assessments[index][1]
            index += 1
        scores: dict[str, int | None] = {
            i.code: by_month.get(i.signal, {}).get(month) if i.computed else assessed.get(i.code)
            for i in framework.INDICATORS
        }
        levels.append(MonthLevel(month, framework.combine(scores)))
    return Situation(pk, tested, levels, assessed)


def stored(situations: list[int], until: datetime.date) -> dict[int, Situation]:
    """The situations' levels from the signals as last computed, up to the month tested as
    of `until`, with the assessments up to `until`."""
    tested: dict[int, dict[str, list[Tested]]] = defaultdict(lambda: defaultdict(list))
    rows = SignalMonth.objects.filter(
        situation_id__in=situations, month__lte=first_day(tested_month(until))
    ).order_by("situation_id", "signal", "month")
    for row in rows.values_list(
        "situation_id", "signal", "month", "value", "expected", "upper", "score"
    ):
        pk, signal, month, value, expected, upper, score = row
        tested[pk][signal].append(Tested(month_of(month), value, expected, upper, score))
    assessments = assessments_by_situation(situations, until)
    return {
        pk: situation_levels(pk, dict(tested.get(pk, {})), assessments.get(pk, []), until)
        for pk in situations
    }
