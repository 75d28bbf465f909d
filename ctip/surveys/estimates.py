"""Design-based estimates of proportions: weighted prevalence, its variance by Taylor
linearisation over strata and clusters (primary sampling units drawn with replacement, as
Stata's `svy` and samplics' Taylor estimator compute it), the effective sample size, and
Korn-Graubard 95 % intervals, which stay inside 0-1 and stay honest for small groups.

For a group d, p = Σ w·y / Σ w over its respondents who answered. Each respondent's
linearised value is z = w·(y − p) / Σ w (0 outside d); z is summed per primary sampling
unit (a cluster, or the respondent when there are none), and
    var(p) = Σ_h n_h/(n_h − 1) · Σ_c (z_hc − z̄_h)²
over the strata h with n_h units each. A stratum with a single unit adds nothing.
Everything is a handful of `bincount`s over the responses, so a million responses and
every breakdown take well under two seconds.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Design:
    """The responses as arrays, one entry per respondent."""

    weight: np.ndarray  # float64
    stratum: np.ndarray  # int codes 0..H-1
    psu: np.ndarray  # int codes 0..P-1 (clusters, or one per respondent)
    answered: np.ndarray  # int64 bit masks
    yes: np.ndarray  # int64 bit masks

    @functools.cached_property
    def units(self) -> int:
        return int(self.psu.max()) + 1 if len(self.psu) else 0

    @functools.cached_property
    def strata(self) -> int:
        return int(self.stratum.max()) + 1 if len(self.stratum) else 0

    @functools.cached_property
    def unit_stratum(self) -> np.ndarray:
        """The stratum of each unit."""
        found = np.zeros(max(self.units, 1), dtype=np.int64)
        found[self.psu] = self.stratum
        return found

    @functools.cached_property
    def units_per_stratum(self) -> np.ndarray:
        return np.bincount(self.unit_stratum, minlength=max(self.strata, 1)).astype(np.float64)

    @property
    def degrees_of_freedom(self) -> int:
        """Units less strata: the t distribution's degrees of freedom for the design."""
        return max(self.units - self.strata, 1)


@dataclass(frozen=True)
class Outcome:
    """One indicator or composite over every respondent: who answered, and the weights of
    those who answered and of those who said yes (computed once, used by every breakdown)."""

    answered: np.ndarray  # bool
    yes: np.ndarray  # bool
    weight: np.ndarray
    weight_yes: np.ndarray


def outcome(design: Design, bits: list[int]) -> Outcome:
    """One indicator (one bit) or a composite of several: yes when any is yes; no when all
    are answered no; left out otherwise."""
    mask = np.int64(sum(1 << b for b in bits))
    any_yes = (design.yes & mask) != 0
    if len(bits) == 1:
        answered = (design.answered & mask) != 0
    else:
        answered = any_yes | ((design.answered & mask) == mask)
    weight = design.weight * answered
    return Outcome(answered, any_yes & answered, weight, weight * any_yes)


@dataclass(frozen=True)
class Groups:
    """A breakdown: each respondent's group code and the labels, and each respondent's
    (group, unit) pair, with the group and stratum of every pair."""

    codes: np.ndarray
    labels: list[str]
    pair: np.ndarray
    pair_group: np.ndarray
    pair_stratum: np.ndarray

    @classmethod
    def of(cls, design: Design, codes: np.ndarray, labels: list[str]) -> Groups:
        units, unit_stratum = max(design.units, 1), design.unit_stratum
        if units == len(design.psu):  # no clusters: each respondent is a unit of its own
            return cls(codes, labels, design.psu, codes[np.argsort(design.psu)], unit_stratum)
        if len(labels) * units <= DENSE_PAIRS:  # every (group, unit) pair gets a slot
            pairs = np.arange(len(labels) * units)
            return cls(
                codes,
                labels,
                codes * units + design.psu,
                pairs // units,
                unit_stratum[pairs % units],
            )
        keys, pair = np.unique(codes * units + design.psu, return_inverse=True)
        return cls(codes, labels, pair, keys // units, unit_stratum[keys % units])


DENSE_PAIRS = 5_000_000


@dataclass(frozen=True)
class Proportions:
    """Per group: respondents who answered, prevalence, variance, effective sample size."""

    n: np.ndarray
    p: np.ndarray
    variance: np.ndarray
    n_effective: np.ndarray


def proportions(design: Design, groups: Groups, found: Outcome) -> Proportions:
    """Sums per (group, unit) first — three `bincount`s over the respondents — then, by
    linearity, Σ_unit z = (Σ_unit w·y − p · Σ_unit w) / Σ_group w."""
    size, pairs, g = len(groups.labels), len(groups.pair_group), groups.pair_group
    unit_n = np.bincount(groups.pair, found.answered, pairs)
    unit_weight = np.bincount(groups.pair, found.weight, pairs)
    unit_yes = np.bincount(groups.pair, found.weight_yes, pairs)
    n = np.bincount(g, unit_n, size)
    total = np.bincount(g, unit_weight, size)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.bincount(g, unit_yes, size) / total
        by_unit = np.where(total[g] > 0, (unit_yes - p[g] * unit_weight) / total[g], 0.0)
    strata = max(design.strata, 1)
    cell = g * strata + groups.pair_stratum
    first = np.bincount(cell, by_unit, size * strata).reshape(size, strata)
    second = np.bincount(cell, by_unit**2, size * strata).reshape(size, strata)
    units = design.units_per_stratum
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(units > 1, units / (units - 1), 0.0)
        spread = np.where(units > 0, second - first**2 / np.maximum(units, 1), 0.0)
        variance = (factor * spread).sum(axis=1)
        n_effective = np.where(variance > 0, p * (1 - p) / variance, n)
    return Proportions(n, p, variance, np.minimum(n_effective, n))


def korn_graubard(found: Proportions, degrees_of_freedom: int) -> tuple[np.ndarray, np.ndarray]:
    """95 % intervals: Clopper-Pearson on the effective sample size, shrunk by the ratio of
    t quantiles for the design's degrees of freedom (Korn and Graubard, 1998)."""
    from scipy import stats

    n, p = found.n, found.p
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = (
            stats.t.ppf(0.975, np.maximum(n - 1, 1)) / stats.t.ppf(0.975, degrees_of_freedom)
        ) ** 2
        size = np.minimum(n, found.n_effective * np.where(n > 1, ratio, 1.0))
        x = p * size
        low = np.where(x > 0, stats.beta.ppf(0.025, x, size - x + 1), 0.0)
        high = np.where(x < size, stats.beta.ppf(0.975, x + 1, size - x), 1.0)
    empty = ~(n > 0)
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


@dataclass(frozen=True)
class Change:
    """From one wave to the next: the difference and its 95 % interval (independent samples)."""

    before: str
    after: str
    difference: float
    low: float
    high: float


def changes(labels: list[str], found: Proportions) -> list[Change]:
    """Between consecutive waves (labels in wave order); waves with no answer are skipped."""
    present = [i for i in range(len(labels)) if found.n[i] > 0]
    result = []
    for a, b in itertools.pairwise(present):
        difference = float(found.p[b] - found.p[a])
        margin = Z95 * float(np.sqrt(found.variance[a] + found.variance[b]))
        result.append(
            Change(labels[a], labels[b], difference, difference - margin, difference + margin)
        )
    return result
