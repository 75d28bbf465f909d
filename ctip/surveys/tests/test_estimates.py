"""The estimates against examples computed by hand, and against a plain, row-by-row
implementation of the same textbook formulas on random designs."""

import math
import random

import numpy as np
import pytest

from ctip.surveys.estimates import Design, Groups, changes, korn_graubard, outcome, proportions


def design(weights, strata, psus, answered, yes) -> Design:
    return Design(
        weight=np.asarray(weights, dtype=float),
        stratum=np.asarray(strata, dtype=np.int64),
        psu=np.asarray(psus, dtype=np.int64),
        answered=np.asarray(answered, dtype=np.int64),
        yes=np.asarray(yes, dtype=np.int64),
    )


def one_group(d: Design) -> Groups:
    return Groups.of(d, np.zeros(len(d.weight), dtype=np.int64), ["all"])


def test_simple_random_sample_by_hand():
    # given 10 people, 3 of them yes, equal weights, no strata or clusters
    d = design([1] * 10, [0] * 10, range(10), [1] * 10, [1, 1, 1] + [0] * 7)
    # when
    found = proportions(d, one_group(d), outcome(d, [0]))
    low, high = korn_graubard(found, d.degrees_of_freedom)
    # then p = 0.3; var = p(1-p)/(n-1) = 0.21/9; n_eff = 9; Clopper-Pearson on 2.7 of 9
    assert found.p[0] == pytest.approx(0.3)
    assert found.variance[0] == pytest.approx(0.21 / 9)
    assert found.n_effective[0] == pytest.approx(9)
    assert (low[0], high[0]) == pytest.approx((0.0590341, 0.6720192), abs=1e-6)


def test_weights_strata_and_clusters_by_hand():
    # given two strata of two clusters each; weights 1 and 3; y and clusters as written
    weights = [1, 1, 3, 3, 1, 1, 3, 3]
    strata = [0, 0, 0, 0, 1, 1, 1, 1]
    psus = [0, 0, 1, 1, 2, 2, 3, 3]
    yes = [1, 0, 1, 1, 0, 0, 1, 0]
    d = design(weights, strata, psus, [1] * 8, yes)
    found = proportions(d, one_group(d), outcome(d, [0]))
    # p = (1 + 3 + 3 + 3) / 16 = 10/16
    p = 10 / 16
    assert found.p[0] == pytest.approx(p)
    # z per cluster = Σ w (y - p) / 16
    z = [
        (1 * (1 - p) + 1 * (0 - p)) / 16,
        (3 * (1 - p) + 3 * (1 - p)) / 16,
        (1 * (0 - p) + 1 * (0 - p)) / 16,
        (3 * (1 - p) + 3 * (0 - p)) / 16,
    ]
    by_stratum = [(z[0], z[1]), (z[2], z[3])]
    variance = sum(2 / 1 * sum((v - sum(h) / 2) ** 2 for v in h) for h in by_stratum)
    assert found.variance[0] == pytest.approx(variance)
    assert d.degrees_of_freedom == 2  # 4 clusters - 2 strata


def test_blank_answers_leave_the_denominator_and_any_follows_its_rule():
    # indicator 0 and 1; bits: answered, yes
    answered = [0b11, 0b11, 0b01, 0b00, 0b10]
    yes = [0b01, 0b00, 0b00, 0b00, 0b10]
    d = design([1] * 5, [0] * 5, range(5), answered, yes)
    assert outcome(d, [0]).answered.tolist() == [True, True, True, False, False]
    composite = outcome(d, [0, 1])
    # yes to one → yes; both no → no; one no and one blank → left out; all blank → out
    assert composite.answered.tolist() == [True, True, False, False, True]
    assert composite.yes.tolist() == [True, False, False, False, True]


def _textbook(weights, strata, psus, members, y):
    """Row by row, the same formulas, for one domain."""
    total = sum(w for w, m in zip(weights, members, strict=True) if m)
    p = sum(w * v for w, v, m in zip(weights, y, members, strict=True) if m) / total
    cluster_z: dict[tuple[int, int], float] = {}
    for w, h, c, m, v in zip(weights, strata, psus, members, y, strict=True):
        cluster_z.setdefault((h, c), 0.0)
        if m:
            cluster_z[(h, c)] += w * (v - p) / total
    variance = 0.0
    for h in set(strata):
        values = [z for (hh, _c), z in cluster_z.items() if hh == h]
        mean = sum(values) / len(values)
        if len(values) > 1:
            variance += len(values) / (len(values) - 1) * sum((v - mean) ** 2 for v in values)
    return p, variance


@pytest.mark.parametrize("seed", range(5))
def test_vectorised_equals_the_textbook_on_random_designs_and_domains(seed):
    rng = random.Random(seed)
    n = 300
    strata = [rng.randrange(3) for _ in range(n)]
    psus = [h * 10 + rng.randrange(4) for h in strata]
    weights = [rng.uniform(0.2, 5) for _ in range(n)]
    answered = [0 if rng.random() < 0.1 else 1 for _ in range(n)]
    yes = [a if rng.random() < 0.3 else 0 for a in answered]
    groups = [rng.randrange(4) for _ in range(n)]
    psu_codes = {c: i for i, c in enumerate(sorted(set(psus)))}
    d = design(weights, strata, [psu_codes[c] for c in psus], answered, yes)
    found = proportions(d, Groups.of(d, np.asarray(groups), ["a", "b", "c", "d"]), outcome(d, [0]))
    for g in range(4):
        members = [a == 1 and gg == g for a, gg in zip(answered, groups, strict=True)]
        p, variance = _textbook(weights, strata, psus, members, yes)
        assert found.p[g] == pytest.approx(p)
        assert found.variance[g] == pytest.approx(variance)


def test_interval_stays_inside_zero_and_one_and_an_empty_group_has_none():
    d = design([1] * 4, [0] * 4, range(4), [1, 1, 0, 0], [1, 1, 0, 0])
    groups = Groups.of(d, np.asarray([0, 0, 1, 1]), ["all yes", "no answer"])
    found = proportions(d, groups, outcome(d, [0]))
    low, high = korn_graubard(found, d.degrees_of_freedom)
    assert found.p[0] == 1.0 and 0 < low[0] < 1 and high[0] == 1.0
    assert math.isnan(low[1]) and math.isnan(high[1])


def test_change_between_waves_with_its_interval():
    d = design([1] * 20, [0] * 20, range(20), [1] * 20, [1] * 6 + [0] * 4 + [1] * 2 + [0] * 8)
    groups = Groups.of(d, np.asarray([0] * 10 + [1] * 10), ["1", "2"])
    found = proportions(d, groups, outcome(d, [0]))
    (change,) = changes(["1", "2"], found)
    assert change.difference == pytest.approx(-0.4)
    # a wave is a domain of the one stratum of 20 units: var = 20/19 · Σ z² = 2 p(1-p) / 19
    margin = 1.959964 * math.sqrt(2 * 0.6 * 0.4 / 19 + 2 * 0.2 * 0.8 / 19)
    assert (change.low, change.high) == pytest.approx((-0.4 - margin, -0.4 + margin), abs=1e-5)
