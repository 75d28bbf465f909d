"""Matching linkage keys across entities: candidate pairs by locality-sensitive blocking,
scored by their Dice coefficient, grouped by anonlink's greedy solver (a person appears at
most once per entity in a group).

Blocking samples BANDS sets of BAND_BITS bit positions of the key: two keys share a block of
a band when they agree on all its bits. Keys of the same person differ in few bits and meet
in some band; unrelated keys rarely agree on 24 bits at once. A bucket holding more than
MAX_BUCKET keys says nothing about identity (most bits unset) and is skipped. anonlink's own
blocking keeps a Python object per block, tens of millions of them at a million records with
this many bands, so the buckets are formed here with numpy (ADR 0008); the Dice coefficient
is anonlink's (`2·|A∧B| / (|A|+|B|)`, checked against it in the tests).
"""

from __future__ import annotations

import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from anonlink.solving import greedy_solve

from ctip.linkage.keys import BITS, KEY_BYTES

THRESHOLD = 0.70  # Dice below this is never a candidate
BANDS = 24
BAND_BITS = 24
MAX_BUCKET = 200
CHUNK = 65_536
_POSITIONS = np.random.default_rng(2016_63).permutation(BITS * (BANDS * BAND_BITS // BITS + 1))
_POSITIONS = (_POSITIONS % BITS)[: BANDS * BAND_BITS].reshape(BANDS, BAND_BITS)
_WEIGHTS = np.left_shift(np.int64(1), np.arange(BAND_BITS, dtype=np.int64))
WORDS = KEY_BYTES // 8
ALL_BITS = slice(0, BITS)


@dataclass(frozen=True)
class Pairs:
    """Candidate pairs as parallel arrays of row indices (left < right) and Dice."""

    left: np.ndarray
    right: np.ndarray
    dice: np.ndarray

    def __len__(self) -> int:
        return len(self.dice)


def as_matrix(raw_keys: Sequence[bytes]) -> np.ndarray:
    """Keys (KEY_BYTES each) as an (n, KEY_BYTES) uint8 matrix."""
    if not raw_keys:
        return np.zeros((0, KEY_BYTES), dtype=np.uint8)
    return np.frombuffer(b"".join(raw_keys), dtype=np.uint8).reshape(-1, KEY_BYTES)


def band_keys(keys: np.ndarray) -> np.ndarray:
    """(n, BANDS) bucket numbers: each band's sampled bits read as one integer."""
    out = np.empty((len(keys), BANDS), dtype=np.int64)
    for start in range(0, len(keys), CHUNK):
        bits = np.unpackbits(keys[start : start + CHUNK], axis=1)  # bit order as bitarray's
        out[start : start + CHUNK] = (bits[:, _POSITIONS].astype(np.int64) * _WEIGHTS).sum(axis=2)
    return out


def ones(keys: np.ndarray, bits: slice = ALL_BITS) -> np.ndarray:
    """How many bits each key sets within `bits` (a slice of whole 64-bit words)."""
    return np.bitwise_count(_words(keys, bits)).sum(axis=1)


def dice(
    keys: np.ndarray, left: np.ndarray, right: np.ndarray, bits: slice = ALL_BITS
) -> np.ndarray:
    """Dice coefficient of pairs of keys, over all their bits or one feature's segment."""
    words = _words(keys, bits)
    both = np.bitwise_count(words[left] & words[right]).sum(axis=1)
    counts = ones(keys, bits)
    total = counts[left] + counts[right]
    return np.divide(2.0 * both, total, out=np.zeros(len(left)), where=total > 0)


def overlap(keys: np.ndarray, left: np.ndarray, right: np.ndarray, bits: slice) -> np.ndarray:
    """Shared bits over the smaller key's bits: 1 when one key's bits lie within the other's
    (a date of birth given as a year only, beside the full date of the same year)."""
    words = _words(keys, bits)
    both = np.bitwise_count(words[left] & words[right]).sum(axis=1)
    counts = ones(keys, bits)
    least = np.minimum(counts[left], counts[right])
    return np.divide(both, least, out=np.zeros(len(left)), where=least > 0)


def _words(keys: np.ndarray, bits: slice) -> np.ndarray:
    return keys.view(np.uint64)[:, bits.start // 64 : bits.stop // 64]


def _bucket_pairs(buckets: np.ndarray, entities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of rows of one band that share a bucket (of at most MAX_BUCKET rows) and come
    from different entities."""
    order = np.argsort(buckets, kind="stable")
    sorted_buckets = buckets[order]
    starts = np.flatnonzero(np.r_[True, sorted_buckets[1:] != sorted_buckets[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    lefts, rights = [], []
    for size in range(2, MAX_BUCKET + 1):
        chosen = starts[sizes == size]
        if not len(chosen):
            continue
        members = order[chosen[:, None] + np.arange(size)]  # (buckets, size)
        i, j = np.triu_indices(size, k=1)
        lefts.append(members[:, i].ravel())
        rights.append(members[:, j].ravel())
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    left, right = np.concatenate(lefts), np.concatenate(rights)
    apart = entities[left] != entities[right]
    left, right = left[apart], right[apart]
    return np.minimum(left, right), np.maximum(left, right)


def candidate_pairs(keys: np.ndarray, entities: np.ndarray, threshold: float = THRESHOLD) -> Pairs:
    """Pairs of keys of different entities with Dice ≥ threshold that meet in some band, on
    this machine or, with CTIP_LINKAGE_ENGINE=spark, on Spark (the same pairs either way)."""
    from django.conf import settings

    if settings.CTIP_LINKAGE_ENGINE == "spark":
        from ctip.linkage import spark

        return spark.candidate_pairs(keys, entities, threshold)
    return local_candidate_pairs(keys, entities, threshold)


def local_candidate_pairs(keys: np.ndarray, entities: np.ndarray, threshold: float) -> Pairs:
    """`candidate_pairs` with numpy on this machine."""
    buckets = band_keys(keys)
    found: list[np.ndarray] = []
    for band in range(BANDS):
        left, right = _bucket_pairs(buckets[:, band], entities)
        for start in range(0, len(left), CHUNK * 16):
            part_l, part_r = left[start : start + CHUNK * 16], right[start : start + CHUNK * 16]
            keep = dice(keys, part_l, part_r) >= threshold
            found.append(part_l[keep] * len(keys) + part_r[keep])
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return Pairs(empty, empty, np.zeros(0))
    pair_ids = np.unique(np.concatenate(found))
    left, right = pair_ids // len(keys), pair_ids % len(keys)
    return Pairs(left, right, dice(keys, left, right))


def groups(pairs: Pairs, scores: np.ndarray, entities: np.ndarray) -> list[list[int]]:
    """Rows grouped by anonlink's greedy solver, best scores first; a group never holds two
    rows of one entity. Only groups of two or more rows are returned."""
    order = np.argsort(-scores, kind="stable")
    left, right = pairs.left[order], pairs.right[order]
    candidates = (
        array.array("d", scores[order].tolist()),
        (
            array.array("I", entities[left].tolist()),
            array.array("I", entities[right].tolist()),
        ),
        (array.array("I", left.tolist()), array.array("I", right.tolist())),
    )
    solved = greedy_solve(candidates)
    return [sorted(row for _entity, row in group) for group in solved if len(group) > 1]
