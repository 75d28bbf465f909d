"""How candidates are found at scale: namesakes born on other days rarely share a bucket (the
date's MinHashes), a key without a full date still meets every key of its name's buckets,
and what the de-duplication leaves out before scoring (pairs below weights.FLOOR) changes no
proposal."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ctip.linkage import matching
from ctip.linkage.keys import Identity, decode, encode
from ctip.linkage.tests.builders import SECRET, records_of, two_entities
from ctip.statistics import dedup, weights


@pytest.fixture(scope="module")
def records() -> dedup.Records:
    return records_of(two_entities(people=1200, seed=7, namesakes=400))


def _every_pair(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.ones(len(a), dtype=bool)


def test_leaving_pairs_out_changes_no_cluster(records, monkeypatch):
    kept = matching.candidate_pairs(records.keys, records.entities, keep=weights.could_be_proposed)
    every = matching.candidate_pairs(records.keys, records.entities)
    with_rule = dedup.clusters_of(records)
    monkeypatch.setattr(dedup, "could_be_proposed", _every_pair)
    without_rule = dedup.clusters_of(records)

    assert len(kept) < len(every) - 200
    assert len(with_rule) > 500
    by_records = lambda clusters: sorted(clusters, key=lambda c: c.record_ids)  # noqa: E731
    assert by_records(with_rule) == by_records(without_rule)


def test_only_pairs_below_the_floor_are_left_out(records):
    every = matching.candidate_pairs(records.keys, records.entities)
    kept = matching.candidate_pairs(records.keys, records.entities, keep=weights.could_be_proposed)
    as_ids = lambda pairs: set(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True))  # noqa: E731
    left_out = np.array(sorted(as_ids(every) - as_ids(kept)))
    assert as_ids(kept) <= as_ids(every)
    scores = weights.key_log_odds(records.keys[left_out[:, 0]], records.keys[left_out[:, 1]])
    assert (scores < weights.FLOOR).all()
    # with every quasi-identifier agreeing, such a pair is still far from being proposed
    best = scores.max() + sum(agree for agree, _disagree in weights.EVIDENCE.values())
    assert best + weights.AMBIGUITY < weights.PROPOSED


def test_namesakes_born_on_other_days_rarely_meet_and_undated_keys_always_do(records):
    person = Identity("Amina", "Yusuf Osman", "1994-03-12", "F")
    others = {
        "the same": person,
        "no date": replace(person, date_of_birth=""),
        "a year only": replace(person, date_of_birth="1994"),
        "a namesake": replace(person, date_of_birth="2004-08-23"),
    }
    added = [person, *others.values()]
    keys = np.concatenate([records.keys, _keys(added)])
    entities = np.concatenate([records.entities, [0] + [1] * len(others)])
    pairs = matching.candidate_pairs(keys, entities)
    met = {
        right
        for left, right in zip(pairs.left, pairs.right, strict=True)
        if left == len(records.keys)
    }
    row = dict(zip(others, range(len(records.keys) + 1, len(keys)), strict=True))

    assert {row["the same"], row["no date"], row["a year only"]} <= met
    assert row["a namesake"] not in met
    # had they met, the floor would leave them out: the dates disagree
    namesake = keys[[row["a namesake"]]]
    assert not weights.could_be_proposed(keys[[len(records.keys)]], namesake)[0]


def test_leaving_out_namesakes_among_many(records):
    """Across the fixture's 400 namesakes born ten years and a month and a day later, few
    meet their person at all."""
    first = int((records.entities == 0).sum())
    pairs = matching.candidate_pairs(records.keys, records.entities)
    met = set(zip(pairs.left.tolist(), pairs.right.tolist(), strict=True))
    namesakes = range(len(records.keys) - 400, len(records.keys))
    meeting = sum((row - (len(records.keys) - 400), row) in met for row in namesakes)
    assert first == 1200
    assert meeting < 40


def _keys(people: list[Identity]) -> np.ndarray:
    return matching.as_matrix([decode(encode(who, SECRET)).tobytes() for who in people])


def test_a_band_scored_a_slice_at_a_time_gives_the_same_pairs(records, monkeypatch):
    whole = matching.local_candidate_pairs(records.keys, records.entities, matching.THRESHOLD)
    monkeypatch.setattr(matching, "PAIRS_AT_ONCE", 7)
    sliced = matching.local_candidate_pairs(records.keys, records.entities, matching.THRESHOLD)
    assert len(whole) > 100
    assert np.array_equal(whole.left, sliced.left)
    assert np.array_equal(whole.right, sliced.right)


def test_pairs_far_below_a_proposal_make_none_ambiguous():
    """`clusters_of` compares only the pairs within AMBIGUITY of a proposal with each other:
    the same pairs are proposed as when every pair is compared."""
    rng = np.random.default_rng(5)
    left = rng.integers(0, 200, 600)  # three pairs a record: ambiguity is common
    right = left + rng.integers(1, 20, 600)
    entities = rng.integers(0, 3, 220)
    apart = entities[left] != entities[right]
    pairs = matching.Pairs(left[apart], right[apart], np.zeros(int(apart.sum())))
    scores = rng.uniform(-4, 6, len(pairs))  # (a cut at PROPOSED - 1.5 would change some)
    every = (scores >= weights.PROPOSED) & dedup.unambiguous(pairs, scores, entities)
    near = scores >= weights.PROPOSED - weights.AMBIGUITY
    nearby = matching.Pairs(pairs.left[near], pairs.right[near], pairs.dice[near])
    among_near = (scores[near] >= weights.PROPOSED) & dedup.unambiguous(
        nearby, scores[near], entities
    )
    assert every.sum() > 20
    assert np.array_equal(np.flatnonzero(every), np.flatnonzero(near)[among_near])


def test_a_round_whose_candidates_are_all_far_from_a_proposal_has_no_cluster():
    """Candidates above the floor but more than AMBIGUITY below a proposal (a namesake born
    the same year and month, of the other sex) leave nothing to compare: no cluster, no
    error."""
    person = Identity("Amina", "Yusuf Osman", "1994-03-12", "F")
    other = replace(person, date_of_birth="1994-03-25")
    records = dedup.Records(
        ids=np.array([1, 2]),
        entities=np.array([0, 1]),
        keys=_keys([person, other]),
        quasi={
            "sex": np.array(["F", "M"]),
            "age_band": np.array(["", ""]),
            "citizenship": np.array(["", ""]),
            "country": np.array(["", ""]),
        },
    )
    pairs = dedup.candidates(records)
    assert len(pairs) == 1  # above the floor
    assert dedup.log_odds(records, pairs)[0] < weights.PROPOSED - weights.AMBIGUITY
    assert dedup.clusters_of(records) == []
    assert dedup.unambiguous(pairs, np.zeros(0), records.entities[:0]).shape == (0,)


def test_unambiguous_pairs_are_those_that_beat_every_rival_by_the_margin():
    """`unambiguous` against a plain model: each side of a pair, its record's other pairs
    with the same other entity; ties (two rivals with one score) included."""
    rng = np.random.default_rng(11)
    left = rng.integers(0, 150, 500)
    right = left + rng.integers(1, 30, 500)
    entities = rng.choice([7, 30, 31], 180)  # entity ids, not 0..n
    apart = entities[left] != entities[right]
    left, right = left[apart], right[apart]
    scores = rng.integers(-4, 8, len(left)).astype(float)  # whole numbers: many ties
    pairs = matching.Pairs(left.astype(np.int32), right.astype(np.int32), np.zeros(len(left)))

    def rivals(i: int, row: int, other: int) -> list[float]:
        return [
            scores[j]
            for j in range(len(left))
            if j != i
            and (
                (left[j] == row and entities[right[j]] == other)
                or (right[j] == row and entities[left[j]] == other)
            )
        ]

    expected = [
        all(
            scores[i] >= rival + weights.AMBIGUITY
            for rival in rivals(i, left[i], entities[right[i]])
        )
        and all(
            scores[i] >= rival + weights.AMBIGUITY
            for rival in rivals(i, right[i], entities[left[i]])
        )
        for i in range(len(left))
    ]
    found = dedup.unambiguous(pairs, scores, entities)
    assert 20 < sum(expected) < len(left) - 20
    assert found.tolist() == expected
