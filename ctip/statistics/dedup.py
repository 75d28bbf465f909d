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
people: none is proposed). Pairs are grouped by anonlink's greedy solver; a group is a
cluster, its probability the lowest of its pairs. The weights were set on the labelled
benchmark (bench/linkage_quality.py, figures in bench/RESULTS.md).
"""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass

import numpy as np

from ctip.core.codes import AgeBand, Sex
from ctip.linkage import matching
from ctip.linkage.keys import KEY_BYTES, bits_of
from ctip.statistics.models import DuplicateMember, VictimRecord

SLOPE = 30.0
MIDPOINT = 0.90
DATE_SLOPE = 20.0
DATE_MIDPOINT = 0.70
MATCH_PROBABILITY = 0.5
AMBIGUITY = 2.0  # log-odds by which a proposed pair beats its records' other candidates
NAMES, DATES = bits_of("name"), bits_of("date_of_birth")
# (agree, disagree) log-odds of each quasi-identifier, read only when both records know it
EVIDENCE = {
    "sex": (0.5, -6.0),
    "age_band": (0.5, -3.0),
    "citizenship": (1.0, -4.0),
    "country": (0.5, 0.0),
}
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
    left, right = pairs.left, pairs.right
    score = SLOPE * (matching.dice(records.keys, left, right, NAMES) - MIDPOINT)
    dated = matching.ones(records.keys, DATES) > 0
    dates = matching.overlap(records.keys, left, right, DATES)
    score += np.where(dated[left] & dated[right], DATE_SLOPE * (dates - DATE_MIDPOINT), 0.0)
    for name, (agree, disagree) in EVIDENCE.items():
        left, right = records.quasi[name][pairs.left], records.quasi[name][pairs.right]
        known = (left != "") & (right != "")
        score += np.where(known, np.where(left == right, agree, disagree), 0.0)
    return score


def unambiguous(pairs: matching.Pairs, scores: np.ndarray, entities: np.ndarray) -> np.ndarray:
    """Pairs that beat, by AMBIGUITY, every other pair of each of their records with the
    same other entity: a record that fits two people of another entity almost equally (a
    common name and no date of birth) is proposed with neither."""
    other = np.concatenate([entities[pairs.right], entities[pairs.left]])
    keyed = np.concatenate([pairs.left, pairs.right]) * (int(entities.max()) + 1) + other
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


def probability(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-score))


def find_clusters(round_id: int) -> list[Cluster]:
    """Clusters of the round's records (not yet in a decided cluster) across entities."""
    return clusters_of(load_records(round_id))


def clusters_of(records: Records) -> list[Cluster]:
    """Clusters of records across entities (the benchmark calls this on its own records)."""
    if len(records.ids) < 2:
        return []
    pairs = matching.candidate_pairs(records.keys, records.entities)
    if not len(pairs):
        return []
    scores = log_odds(records, pairs)
    likely = scores >= math.log(MATCH_PROBABILITY / (1 - MATCH_PROBABILITY))
    likely &= unambiguous(pairs, scores, records.entities)
    pairs = matching.Pairs(pairs.left[likely], pairs.right[likely], pairs.dice[likely])
    scores = scores[likely]
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
