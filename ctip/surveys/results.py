"""A survey's estimates: every indicator and composite, overall or by a breakdown, with
n, the effective sample size, the 95 % interval, and whether enough people answered to
publish it; and the change from wave to wave."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ctip.core.models import User
from ctip.surveys import policies
from ctip.surveys.codes import Breakdown, Composite, Experience
from ctip.surveys.estimates import Groups, changes, korn_graubard, outcome, proportions
from ctip.surveys.models import Indicator, Survey
from ctip.surveys.selectors import Loaded, design_of

ALL = "all"
ESTIMATE_COLUMNS = ["group", "indicator", "n", "prevalence", "ci_low", "ci_high"]


@dataclass(frozen=True)
class Estimate:
    group: str
    indicator: str
    n: int
    prevalence: float | None
    ci_low: float | None
    ci_high: float | None
    n_effective: float | None
    publishable: bool

    def as_row(self) -> list[object]:
        return [self.group, self.indicator, self.n, self.prevalence, self.ci_low, self.ci_high]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def outcomes_of(survey: Survey) -> list[tuple[str, list[int]]]:
    """(indicator or composite code, its bits): the survey's indicators, then `any` always,
    and `any_direct` / `any_family` when the survey asks about both experiences."""
    codes = list(survey.indicators)
    kinds = dict(Indicator.objects.filter(code__in=codes).values_list("code", "experience"))
    found = [(code, [bit]) for bit, code in enumerate(codes)]
    found.append((Composite.ANY.value, list(range(len(codes)))))
    for composite, experience in (
        (Composite.ANY_DIRECT, Experience.DIRECT),
        (Composite.ANY_FAMILY, Experience.FAMILY),
    ):
        bits = [bit for bit, code in enumerate(codes) if kinds.get(code) == experience]
        if bits and len(bits) < len(codes):
            found.append((composite.value, bits))
    return found


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 6)


def survey_estimates(survey: Survey, by: str | None = None) -> list[Estimate]:
    """For the system (commands, publication): every outcome, overall or by `by`."""
    return estimates_by(survey, [by])[by]


def estimates_by(survey: Survey, breakdowns: list[str | None]) -> dict[str | None, list[Estimate]]:
    """Every outcome, for each of `breakdowns` (None: overall), from one load of the
    responses; each outcome's weights are computed once for all the breakdowns."""
    return _estimates_by(survey, design_of(survey), breakdowns)


def _estimates_by(
    survey: Survey, loaded: Loaded, breakdowns: list[str | None]
) -> dict[str | None, list[Estimate]]:
    design, codes_of = loaded
    outcomes = [(code, outcome(design, bits)) for code, bits in outcomes_of(survey)]
    found: dict[str | None, list[Estimate]] = {}
    for by in breakdowns:
        if by:
            codes, labels = codes_of[by]
        else:
            codes, labels = np.zeros(len(design.weight), dtype=np.int64), [ALL]
        groups = Groups.of(design, codes, labels)
        found[by] = [
            estimate
            for code, answers in outcomes
            for estimate in _estimates(
                survey, code, labels, proportions(design, groups, answers), design
            )
        ]
    return found


def _estimates(
    survey: Survey, code: str, labels: list[str], result: Any, design: Any
) -> list[Estimate]:
    low, high = korn_graubard(result, design.degrees_of_freedom)
    found = []
    for i, label in enumerate(labels):
        n = int(result.n[i])
        found.append(
            Estimate(
                label or "unknown",
                code,
                n,
                _number(result.p[i]) if n else None,
                _number(low[i]) if n else None,
                _number(high[i]) if n else None,
                _number(result.n_effective[i]) if n else None,
                n >= survey.min_n,
            )
        )
    return found


def estimates_for(*, user: User, survey: Survey, by: str | None = None) -> list[Estimate]:
    policies.require_survey(user, survey)
    return survey_estimates(survey, by)


@dataclass(frozen=True)
class SurveyPage:
    """What a survey's page shows, from one load of its responses."""

    respondents_by_wave: dict[str, int]
    estimates: list[Estimate]  # by the chosen breakdown (or overall)
    by_country: list[Estimate]
    changes: list[dict[str, object]]  # of the chosen outcome, wave to wave


def page_for(*, user: User, survey: Survey, by: str | None, indicator: str) -> SurveyPage:
    policies.require_survey(user, survey)
    loaded = design_of(survey)
    design, codes_of = loaded
    found = _estimates_by(survey, loaded, [by, Breakdown.COUNTRY])
    codes, labels = codes_of[Breakdown.WAVE]
    counts = np.bincount(codes, minlength=len(labels)).tolist()
    bits = dict(outcomes_of(survey)).get(indicator)
    moves: list[dict[str, object]] = []
    if bits is not None:
        result = proportions(design, Groups.of(design, codes, labels), outcome(design, bits))
        moves = [asdict(change) for change in changes(labels, result)]
    return SurveyPage(
        dict(zip(labels, counts, strict=True)), found[by], found[Breakdown.COUNTRY], moves
    )
