"""Benchmark: linking a million encoded records on one machine (issue 13: under 5 minutes).

Usage: python bench/linkage_scale.py [N]   (default 1,000,000 records)

Three entities report N records: half from the first, the rest from two others, one in ten of
whose records is a person of the first entity with one realistic error. Family names are drawn
from a wide made-up pool (syllables) so that namesakes are about as rare as in a national
population; the quality with dense namesakes is measured by linkage_quality.py. Timed: the
encoding (clkhash, one process), then the linkage CTIP runs (candidate pairs by blocking,
scores, grouping by anonlink's solver), beside a bare exact-key join of the same keys.
"""

import os
import random
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("CTIP_DATA_DIR", tempfile.mkdtemp(prefix="ctip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")
sys.path.insert(0, str(Path(__file__).parents[1]))

import django

django.setup()

import numpy as np  # noqa: E402

from ctip.linkage import matching, synthetic  # noqa: E402
from ctip.linkage.keys import Identity, decode, encode  # noqa: E402
from ctip.statistics import dedup  # noqa: E402

SECRET = "bench-round-secret-2025-not-real"  # noqa: S105 - synthetic people only
# fmt: off
SYLLABLES = ["ba", "be", "bi", "da", "di", "fa", "ha", "ka", "ki", "ko", "la", "li", "ma",
             "mi", "mo", "na", "ni", "no", "ra", "ri", "sa", "si", "ta", "ti", "wa", "ya",
             "za", "zi", "ke", "lu"]
# fmt: on


def person(rng: random.Random) -> Identity:
    who = synthetic.person(rng, 1960, 2015)
    family = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return replace(who, family_name=family.capitalize())


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(n: int) -> None:
    rng = random.Random(1_000_000)  # noqa: S311 - synthetic data, repeatable
    first = [person(rng) for _ in range(n // 2)]
    rows: list[tuple[Identity, int]] = [(who, 0) for who in first]
    for i in range(n - len(rows)):
        entity = 1 + i % 2
        if rng.random() < 0.1:
            rows.append((synthetic.variant(rng, rng.choice(first)), entity))
        else:
            rows.append((person(rng), entity))
    print(f"records: {len(rows):,} in 3 entities; peak RSS {peak_mb():,.0f} MB")

    started = time.perf_counter()
    keys = [encode(who, SECRET) for who, _entity in rows]
    took = time.perf_counter() - started
    print(f"encoding: {took:.1f} s ({len(rows) / took:,.0f} identities/s, one process)")
    raw = [decode(key).tobytes() for key in keys]
    del keys
    records = dedup.Records(
        ids=np.arange(len(rows), dtype=np.int64),
        entities=np.array([entity for _who, entity in rows], dtype=np.int64),
        keys=matching.as_matrix(raw),
        quasi={
            "sex": np.array([who.sex for who, _e in rows]),
            "age_band": np.array([""] * len(rows)),
            "citizenship": np.array([""] * len(rows)),
            "country": np.array(["LBY"] * len(rows)),
        },
    )
    del rows

    started = time.perf_counter()
    groups: dict[bytes, list[int]] = {}
    for i, key in enumerate(raw):
        groups.setdefault(key, []).append(i)
    exact = sum(1 for group in groups.values() if len(group) > 1)
    took = time.perf_counter() - started
    print(f"bare exact-key join (Python dict): {took:.1f} s, {exact:,} groups")
    del groups, raw

    started = time.perf_counter()
    pairs = matching.candidate_pairs(records.keys, records.entities)
    took = time.perf_counter() - started
    print(f"candidate pairs (blocking + Dice): {took:.1f} s, {len(pairs):,} pairs")
    started = time.perf_counter()
    clusters = dedup.clusters_of(records)
    took = time.perf_counter() - started
    print(f"whole linkage (candidates, scores, groups): {took:.1f} s, {len(clusters):,} clusters")
    print(f"peak RSS {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
