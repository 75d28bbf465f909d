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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from anonlink.solving import greedy_solve

from ctip.linkage.keys import BITS, KEY_BYTES, RULES, bits_of

THRESHOLD = 0.70  # Dice below this is never a candidate
BANDS = 24
BAND_BITS = 24
MAX_BUCKET = 200
CHUNK = 65_536
PAIRS_AT_ONCE = 1 << 20  # a band's pairs are scored this many at a time
_POSITIONS = np.random.default_rng(2016_63).permutation(BITS * (BANDS * BAND_BITS // BITS + 1))
_POSITIONS = (_POSITIONS % BITS)[: BANDS * BAND_BITS].reshape(BANDS, BAND_BITS)
_WEIGHTS = np.left_shift(np.int64(1), np.arange(BAND_BITS, dtype=np.int64))
NAME_BUCKET = np.int64((1 << BAND_BITS) - 1)  # a bucket number's sampled bits, no MinHash
DATES = bits_of("date_of_birth")
DATE_SIZE = DATES.stop - DATES.start
DATE_HASHES = 2
# a date of birth setting at most this many bits is a year, or a year and a month: it meets
# other keys as a key without a date does (its MinHashes are not those of its full date)
PARTIAL_DATE_BITS = 2 * RULES["bits_per_token"]["date_of_birth"]
DATE_HASH_BITS = 9  # a rank of DATE_SIZE + 1 values
# the rank of each of the date's bits in each band's DATE_HASHES orders, and a last rank
# (DATE_SIZE) for the padding position DATE_SIZE
_DATE_RANKS = np.concatenate(
    [
        np.random.default_rng(2016_64)
        .permuted(np.tile(np.arange(DATE_SIZE), (BANDS, DATE_HASHES, 1)), axis=2)
        .astype(np.int16),
        np.full((BANDS, DATE_HASHES, 1), DATE_SIZE, dtype=np.int16),
    ],
    axis=2,
)
# a rule of the caller's that rules pairs out from their two keys alone (a[i], b[i])
Keep = Callable[[np.ndarray, np.ndarray], np.ndarray]
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
    """(n, BANDS) bucket numbers: each band's sampled bits read as one integer, and above
    them the band's MinHashes of the date of birth (for each of DATE_HASHES orders of its
    bits, the rank of the first bit set; 0 for a key without a date). Keys with the same
    date always agree on them, a date with one part changed often (as often as the bits the
    two share), namesakes born on other days rarely, so that buckets stay small in a large
    population."""
    out = np.empty((len(keys), BANDS), dtype=np.int64)
    step = CHUNK // 8  # (BANDS, DATE_HASHES, step, 32) ranks at once
    for start in range(0, len(keys), step):
        bits = np.unpackbits(keys[start : start + step], axis=1)  # bit order as bitarray's
        sampled = (bits[:, _POSITIONS].astype(np.int64) * _WEIGHTS).sum(axis=2)
        out[start : start + step] = sampled | (_date_hashes(bits[:, DATES]) << BAND_BITS)
    return out


def _date_hashes(dates: np.ndarray) -> np.ndarray:
    """(n, BANDS) the date's MinHashes of each band, DATE_HASH_BITS bits each, side by side."""
    width = int(dates.sum(axis=1).max(initial=0))
    if not width:
        return np.zeros((len(dates), BANDS), dtype=np.int64)
    # the positions set, padded with a position of its own ranked after every other
    order = np.argsort(~dates.astype(bool), axis=1, kind="stable")[:, :width]
    positions = np.where(np.take_along_axis(dates, order, axis=1).astype(bool), order, DATE_SIZE)
    first = _DATE_RANKS[:, :, positions].min(axis=3).astype(np.int64) + 1
    first[first > DATE_SIZE] = 0  # no bit set: no date
    shifts = np.arange(DATE_HASHES, dtype=np.int64)[None, :, None] * DATE_HASH_BITS
    return (first << shifts).sum(axis=1).T


def undated(keys: np.ndarray) -> np.ndarray:
    """Keys without a full date of birth (none, or a year and perhaps a month)."""
    return ones(keys, DATES) <= PARTIAL_DATE_BITS


def ones(keys: np.ndarray, bits: slice = ALL_BITS) -> np.ndarray:
    """How many bits each key sets within `bits` (a slice of whole 64-bit words)."""
    return np.bitwise_count(words_of(keys, bits)).sum(axis=1)


def dice(
    keys: np.ndarray, left: np.ndarray, right: np.ndarray, bits: slice = ALL_BITS
) -> np.ndarray:
    """Dice coefficient of pairs of keys, over all their bits or one feature's segment."""
    return over_pairs(partial(pair_dice, bits=bits), keys, left, right)


def overlap(keys: np.ndarray, left: np.ndarray, right: np.ndarray, bits: slice) -> np.ndarray:
    """Shared bits over the smaller key's bits: 1 when one key's bits lie within the other's
    (a date of birth given as a year only, beside the full date of the same year)."""
    return over_pairs(partial(pair_overlap, bits=bits), keys, left, right)


def over_pairs(
    measure: Callable[[np.ndarray, np.ndarray], np.ndarray],
    keys: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
) -> np.ndarray:
    """measure(keys[left], keys[right]), PAIRS_AT_ONCE pairs at a time: the pairs' keys of
    a large round would not fit in memory at once."""
    parts = [
        measure(
            keys[left[start : start + PAIRS_AT_ONCE]], keys[right[start : start + PAIRS_AT_ONCE]]
        )
        for start in range(0, len(left), PAIRS_AT_ONCE)
    ]
    return np.concatenate(parts) if parts else np.zeros(0)


def pair_dice(a: np.ndarray, b: np.ndarray, bits: slice = ALL_BITS) -> np.ndarray:
    """`dice` of the keys a[i] and b[i] (two (n, KEY_BYTES) matrices): only the pairs' own
    keys are counted, never the whole round's."""
    both, count_a, count_b = _counts(a, b, bits)
    total = count_a + count_b
    return np.divide(2.0 * both, total, out=np.zeros(len(a)), where=total > 0)


def pair_overlap(a: np.ndarray, b: np.ndarray, bits: slice) -> np.ndarray:
    """`overlap` of the keys a[i] and b[i]."""
    both, count_a, count_b = _counts(a, b, bits)
    least = np.minimum(count_a, count_b)
    return np.divide(both, least, out=np.zeros(len(a)), where=least > 0)


def _counts(a: np.ndarray, b: np.ndarray, bits: slice) -> tuple[np.ndarray, ...]:
    words_a, words_b = words_of(a, bits), words_of(b, bits)
    return tuple(
        np.bitwise_count(words).sum(axis=1) for words in (words_a & words_b, words_a, words_b)
    )


def words_of(keys: np.ndarray, bits: slice) -> np.ndarray:
    """The 64-bit words of `bits` of each key."""
    return keys.view(np.uint64)[:, bits.start // 64 : bits.stop // 64]


def _bucket_pairs(
    buckets: np.ndarray, entities: np.ndarray, without_date: np.ndarray
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs of rows of one band from different entities, about PAIRS_AT_ONCE at a time
    (left < right): the rows that share a bucket, and a row without a date of birth with
    the rows that share its bucket's sampled bits (its date unknown or partial, many dates
    may be its)."""
    yield from _sharing(buckets, entities)
    yield from _sharing(buckets & NAME_BUCKET, entities, needed=without_date)


def _sharing(
    buckets: np.ndarray, entities: np.ndarray, needed: np.ndarray | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs of rows in the same bucket (of at most MAX_BUCKET rows), from different
    entities; with `needed`, only in buckets holding such a row and pairs including one."""
    if not len(buckets):
        return
    order = np.argsort(buckets, kind="stable")
    sorted_buckets = buckets[order]
    starts = np.flatnonzero(np.r_[True, sorted_buckets[1:] != sorted_buckets[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    if needed is not None:
        sizes[np.add.reduceat(needed[order].astype(np.int64), starts) == 0] = 0
    for size in range(2, MAX_BUCKET + 1):
        chosen = starts[sizes == size]
        if not len(chosen):
            continue
        i, j = np.triu_indices(size, k=1)
        step = max(1, PAIRS_AT_ONCE // len(i))
        for first in range(0, len(chosen), step):
            members = order[chosen[first : first + step, None] + np.arange(size)]
            left, right = members[:, i].ravel(), members[:, j].ravel()
            apart = entities[left] != entities[right]
            if needed is not None:
                apart &= needed[left] | needed[right]
            left, right = left[apart], right[apart]
            yield np.minimum(left, right), np.maximum(left, right)


def candidate_pairs(
    keys: np.ndarray, entities: np.ndarray, threshold: float = THRESHOLD, keep: Keep | None = None
) -> Pairs:
    """Pairs of keys of different entities with Dice ≥ threshold that meet in some band and
    that `keep` (given the two keys of each pair) does not rule out, on this machine or,
    with CTIP_LINKAGE_ENGINE=spark, on Spark (the same pairs either way)."""
    from django.conf import settings

    if settings.CTIP_LINKAGE_ENGINE == "spark":
        from ctip.linkage import spark

        return spark.candidate_pairs(keys, entities, threshold, keep)
    return local_candidate_pairs(keys, entities, threshold, keep)


def local_candidate_pairs(
    keys: np.ndarray, entities: np.ndarray, threshold: float, keep: Keep | None = None
) -> Pairs:
    """`candidate_pairs` with numpy on this machine. A band's pairs are scored a slice at a
    time and the pairs kept are made unique after each band, so memory follows the pairs
    kept, not the pairs the buckets propose."""
    buckets = band_keys(keys)
    without_date = undated(keys)
    kept = np.zeros(0, dtype=np.int64)
    for band in range(BANDS):
        found = [np.zeros(0, dtype=np.int64)]
        for left, right in _bucket_pairs(buckets[:, band], entities, without_date):
            chosen = passing(keys[left], keys[right], threshold, keep)
            found.append(left[chosen] * len(keys) + right[chosen])
        # two sorted runs merged (timsort), not the whole sorted again: np.unique took 80 %
        # of the time at a million records
        kept = _unique(np.concatenate([kept, _unique(np.concatenate(found))]), kind="stable")
    del buckets
    rows = np.int32 if len(keys) < 2**31 else np.int64  # 3 GB less at ten million records
    left, right = (kept // len(keys)).astype(rows), (kept % len(keys)).astype(rows)
    del kept
    return Pairs(left, right, dice(keys, left, right))


def _unique(values: np.ndarray, kind: Any = None) -> np.ndarray:
    """The distinct values, sorted; `values` (a fresh array) is sorted in place."""
    values.sort(kind=kind)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def passing(a: np.ndarray, b: np.ndarray, threshold: float, keep: Keep | None) -> np.ndarray:
    """Which pairs of keys (a[i], b[i]) are candidates: Dice ≥ threshold and kept."""
    chosen = pair_dice(a, b) >= threshold
    if keep is not None and chosen.any():
        chosen[chosen] = keep(a[chosen], b[chosen])
    return chosen


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
