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
    common name and no date of birth) is proposed with neither. Counted per (record, other
    entity) in arrays of the records' size, not by sorting the pairs: at ten million records
    the pairs are hundreds of millions."""
    if not len(scores):
        return np.zeros(0, dtype=bool)
    codes, other_entity = np.unique(entities, return_inverse=True)
    groups = len(entities) * len(codes)
    sides = ((pairs.left, pairs.right), (pairs.right, pairs.left))

    # (record, other entity) of each side of each pair, computed where used rather than held:
    # two arrays as long as the pairs are gigabytes at ten million records
    def group(row: np.ndarray, other: np.ndarray) -> np.ndarray:
        return row.astype(np.int64) * len(codes) + other_entity[other]

    best = np.full(groups, -np.inf)
    for side in sides:
        np.maximum.at(best, group(*side), scores)
    second = np.full(groups, -np.inf)  # -inf in a group of one; the best when two share it
    tops = np.zeros(groups)
    for side in sides:
        top = scores == best[group(*side)]
        np.maximum.at(second, group(*side), np.where(top, -np.inf, scores))
        tops += np.bincount(group(*side), weights=top, minlength=groups)
    second[tops > 1] = best[tops > 1]
    passes = np.ones(len(scores), dtype=bool)
    for side in sides:
        passes &= scores >= second[group(*side)] + AMBIGUITY
    return passes


def candidates(records: Records) -> matching.Pairs:
    """The pairs worth scoring: candidates (see ctip.linkage.matching) not below the floor."""
    return matching.candidate_pairs(records.keys, records.entities, keep=could_be_proposed)


def _near(records: Records, pairs: matching.Pairs) -> tuple[matching.Pairs, np.ndarray]:
    """The pairs within AMBIGUITY of a proposal, with their log-odds. The others can neither
    be proposed nor make a proposal ambiguous, and are left out before each record's
    candidates are compared. Scored a slice at a time: at ten million records the scores of
    every candidate at once would not fit in memory."""
    near, scores = [], []
    for start in range(0, len(pairs), matching.PAIRS_AT_ONCE):
        score = log_odds(records, _only(pairs, slice(start, start + matching.PAIRS_AT_ONCE)))
        near.append(score >= PROPOSED - AMBIGUITY)
        scores.append(score[near[-1]])
    if not near:
        return pairs, np.zeros(0)
    return _only(pairs, np.concatenate(near)), np.concatenate(scores)


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
