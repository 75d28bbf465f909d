"""Counting each victim once: a round's records of different entities matched on their
linkage keys (ctip.linkage) and their quasi-identifiers, for an analyst to confirm or reject.

Candidates come from the keys alone (Dice ≥ matching.THRESHOLD). Each pair's match
probability combines the keys' similarity with what the records say in clear, as weights of
evidence (log-odds) written down here, not learnt in a black box:

    log-odds = SLOPE × (Dice of the names − MIDPOINT)
             + DATE_SLOPE × (overlap of the dates of birth − DATE_MIDPOINT), when both have one
             + Σ agreement or disagreement of sex, age band, citizenship and country of
               detection (when both records know them)

The names and the date of birth set bits in segments of their own (ctip.linkage.keys), so a
namesake born on another day is told apart from a name spelt otherwise. The dates are compared
by overlap (shared bits over the smaller date's), so a year alone agrees with the full date.
A pair is proposed when its probability is at least MATCH_PROBABILITY and it beats the other
candidates of both its records by AMBIGUITY (a common name with no date of birth fits several
people: none is proposed). The weights are in ctip.statistics.weights; a pair whose keys
alone put it below weights.FLOOR is left out of the candidates, which changes no proposal
and keeps namesakes born years apart out of memory at ten million records. Pairs are
grouped by anonlink's greedy solver; a group is a cluster, its probability the lowest of its
pairs. The weights were set on the labelled benchmark (bench/linkage_quality.py, figures in
bench/RESULTS.md).
"""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass

import numpy as np

from ctip.core.codes import AgeBand, Sex
from ctip.linkage import matching
from ctip.linkage.keys import KEY_BYTES
from ctip.statistics.models import DuplicateMember, VictimRecord
from ctip.statistics.weights import AMBIGUITY, EVIDENCE, PROPOSED, could_be_proposed, key_log_odds

UNKNOWN = {"sex": Sex.UNKNOWN, "age_band": AgeBand.UNKNOWN, "citizenship": None, "country": None}


@dataclass(frozen=True)
class Cluster:
    record_ids: list[int]
    match_probability: float  # the lowest of the cluster's pairs
    similarity: float  # the lowest Dice of the cluster's pairs
    record_probability: dict[int, float]  # each record's best pair in the cluster


@dataclass
class Records:
    """A round's encoded records, column by column."""

    ids: np.ndarray
    entities: np.ndarray
    keys: np.ndarray
    quasi: dict[str, np.ndarray]  # strings, "" where unknown


def load_records(round_id: int) -> Records:
    """The round's submitted records with a linkage key that no decided cluster holds."""
    decided = (
        DuplicateMember.objects.filter(cluster__round_id=round_id)
        .exclude(cluster__status="proposed")
        .values("record_id")
    )
    rows = (
        VictimRecord.objects.filter(submission__round_id=round_id)
        .exclude(submission__status="draft")
        .exclude(linkage_key="")
        .exclude(pk__in=decided)
        .values_list(
            "pk",
            "submission__entity_id",
            "linkage_key",
            "sex",
            "age_band",
            "citizenship_id",
            "submission__country_of_detection_id",
        )
    )
    ids, entities, raw = [], [], []
    quasi: dict[str, list[object]] = {name: [] for name in EVIDENCE}
    for pk, entity, key, *values in rows.iterator(chunk_size=10_000):
        try:
            decoded = base64.b64decode(key, validate=True)
        except binascii.Error:
            continue  # checked at import; a key damaged since is left out, never guessed
        if len(decoded) != KEY_BYTES:
            continue
        ids.append(pk)
        entities.append(entity)
        raw.append(decoded)
        for name, value in zip(EVIDENCE, values, strict=True):
            quasi[name].append("" if value in (None, UNKNOWN[name]) else value)
    return Records(
        np.array(ids, dtype=np.int64),
        np.array(entities, dtype=np.int64),
        matching.as_matrix(raw),
        {name: np.array(values, dtype=str) for name, values in quasi.items()},
    )


def log_odds(records: Records, pairs: matching.Pairs) -> np.ndarray:
    score = matching.over_pairs(key_log_odds, records.keys, pairs.left, pairs.right)
    for name, (agree, disagree) in EVIDENCE.items():
        left, right = records.quasi[name][pairs.left], records.quasi[name][pairs.right]
        known = (left != "") & (right != "")
        score += np.where(known, np.where(left == right, agree, disagree), 0.0)
    return score


def unambiguous(pairs: matching.Pairs, scores: np.ndarray, entities: np.ndarray) -> np.ndarray:
    """Pairs that beat, by AMBIGUITY, every other pair of each of their records with the
    same other entity: a record that fits two people of another entity almost equally (a
    common name and no date of birth) is proposed with neither."""
    if not len(scores):
        return np.zeros(0, dtype=bool)
    other = np.concatenate([entities[pairs.right], entities[pairs.left]])
    rows = np.concatenate([pairs.left, pairs.right]).astype(np.int64)  # may be int32
    keyed = rows * (int(entities.max()) + 1) + other
    both = np.concatenate([scores, scores])
    order = np.lexsort((-both, keyed))
    sorted_keys = keyed[order]
    first = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    second = np.r_[False, first[:-1]] & ~first
    group = np.cumsum(first) - 1  # (record, other entity) of each sorted entry
    runner_up = np.full(group[-1] + 1, -np.inf)
    runner_up[group[second]] = both[order][second]
    entry_runner_up = np.empty(len(both))
    entry_runner_up[order] = runner_up[group]
    n = len(scores)
    return (scores >= entry_runner_up[:n] + AMBIGUITY) & (scores >= entry_runner_up[n:] + AMBIGUITY)


def candidates(records: Records) -> matching.Pairs:
    """The pairs worth scoring: candidates (see ctip.linkage.matching) not below the floor."""
    return matching.candidate_pairs(records.keys, records.entities, keep=could_be_proposed)


def _near(records: Records, pairs: matching.Pairs) -> tuple[matching.Pairs, np.ndarray]:
    """The pairs within AMBIGUITY of a proposal, with their log-odds. The others can neither
    be proposed nor make a proposal ambiguous, and are left out before each record's
    candidates are compared. Scored a slice at a time: at ten million records the scores of
    every candidate at once would not fit in memory."""
    chosen, scores = [], []
    for start in range(0, len(pairs), matching.PAIRS_AT_ONCE):
        part = _only(pairs, slice(start, start + matching.PAIRS_AT_ONCE))
        score = log_odds(records, part)
        near = np.flatnonzero(score >= PROPOSED - AMBIGUITY)
        chosen.append(near + start)
        scores.append(score[near])
    if not chosen:
        return pairs, np.zeros(0)
    return _only(pairs, np.concatenate(chosen)), np.concatenate(scores)


def _only(pairs: matching.Pairs, chosen: np.ndarray | slice) -> matching.Pairs:
    return matching.Pairs(pairs.left[chosen], pairs.right[chosen], pairs.dice[chosen])


def probability(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-score))


def find_clusters(round_id: int) -> list[Cluster]:
    """Clusters of the round's records (not yet in a decided cluster) across entities."""
    return clusters_of(load_records(round_id))


def clusters_of(records: Records, pairs: matching.Pairs | None = None) -> list[Cluster]:
    """Clusters of records across entities (the benchmarks call this on their own records,
    with the `candidates` they timed apart)."""
    if len(records.ids) < 2:
        return []
    if pairs is None:
        pairs = candidates(records)
    if not len(pairs):
        return []
    pairs, scores = _near(records, pairs)
    if not len(pairs):
        return []
    likely = (scores >= PROPOSED) & unambiguous(pairs, scores, records.entities)
    pairs, scores = _only(pairs, likely), scores[likely]
    pair_score = {
        (int(a), int(b)): (float(s), float(d))
        for a, b, s, d in zip(pairs.left, pairs.right, scores, pairs.dice, strict=True)
    }
    clusters = []
    for rows in matching.groups(pairs, scores, records.entities):
        inside = {
            (a, b): pair_score[(a, b)]
            for i, a in enumerate(rows)
            for b in rows[i + 1 :]
            if (a, b) in pair_score
        }
        best: dict[int, float] = {}
        for (a, b), (score, _dice) in inside.items():
            for row in (a, b):
                best[row] = max(best.get(row, 0.0), probability(score))
        clusters.append(
            Cluster(
                record_ids=[int(records.ids[row]) for row in rows],
                match_probability=min(probability(s) for s, _d in inside.values()),
                similarity=min(d for _s, d in inside.values()),
                record_probability={int(records.ids[row]): p for row, p in best.items()},
            )
        )
    return clusters
