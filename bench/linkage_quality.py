"""Benchmark: how well linkage keys find the same person in two entities' files, beside the
exact keyed hash CTIP used before (issue 13).

Usage: python bench/linkage_quality.py [N]   (N people reported by entity A; default 10,000)

Entity A reports N synthetic people (ctip.linkage.synthetic: names drawn from short lists of
common names, so namesakes abound). Entity B reports 40 % of them as another entity writes
them down: a fifth exactly, three fifths with one realistic error (typo, other spelling,
Arabic script, names swapped, date changed, date missing), a fifth with two; plus as many
people of its own, among them "namesakes": the name of one of A's people with another date of
birth. Both methods are scored on the cross-entity pairs they propose against the truth.
"""

import hashlib
import hmac
import itertools
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("CTIP_DATA_DIR", tempfile.mkdtemp(prefix="ctip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")
sys.path.insert(0, str(Path(__file__).parents[1]))

import django

django.setup()

import numpy as np  # noqa: E402

from ctip.core.codes import AgeBand  # noqa: E402
from ctip.linkage import matching, synthetic  # noqa: E402
from ctip.linkage.keys import Identity, decode, encode  # noqa: E402
from ctip.statistics import dedup  # noqa: E402

SECRET = "bench-round-secret-2025-not-real"  # noqa: S105 - synthetic people only
SHARED_SHARE, NAMESAKE_SHARE = 0.4, 0.1


def unique_people(rng: random.Random, n: int) -> list[Identity]:
    """n people, no two with the same name, date of birth and sex (those no method tells
    apart)."""
    seen, people = set(), []
    while len(people) < n:
        who = synthetic.person(rng, 1960, 2015)
        if who not in seen:
            seen.add(who)
            people.append(who)
    return people


def age_band(who: Identity) -> str:
    """The CTDC age band at identification in 2025, as the records carry it in clear."""
    age = 2025 - int(who.date_of_birth[:4])
    for band in AgeBand:
        low, _sep, high = band.value.partition("--")
        if band != AgeBand.UNKNOWN and int(low.rstrip("+")) <= age <= int(high or 200):
            return band.value
    return ""


def build(n: int, seed: int = 2025):
    """Records of A then B: (identity, person number, entity, errors, quasi-identifiers)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, repeatable
    people = unique_people(rng, n + n)
    citizenship = [rng.choice(["ERI", "SDN", "NGA", "SYR", "AFG"]) for _ in people]
    rows = [(who, i, 0, "none") for i, who in enumerate(people[:n])]
    shared = rng.sample(range(n), int(n * SHARED_SHARE))
    for i in shared:
        draw = rng.random()
        errors = 0 if draw < 0.2 else 1 if draw < 0.8 else 2
        if errors == 0:
            rows.append((people[i], i, 1, "exact"))
            continue
        changed = synthetic.variant(rng, people[i], errors)
        label = "+".join(sorted(_kinds(people[i], changed))) or "exact"
        rows.append((changed, i, 1, label if errors == 1 else "two errors"))
    own = range(n, n + int(n * SHARED_SHARE))
    for j in own:
        who = people[j]
        if rng.random() < NAMESAKE_SHARE:  # another person with the name of one of A's
            model = people[rng.randrange(n)]
            who = Identity(model.given_name, model.family_name, who.date_of_birth, model.sex)
            rows.append((who, j, 1, "namesake"))
        else:
            rows.append((who, j, 1, "own"))
    quasi = {
        "sex": np.array([who.sex for who, *_ in rows]),
        "age_band": np.array([age_band(people[i]) for _w, i, *_ in rows]),
        "citizenship": np.array([citizenship[i] for _w, i, *_ in rows]),
        "country": np.array(["LBY"] * len(rows)),
    }
    return rows, quasi


def _kinds(before: Identity, after: Identity) -> set[str]:
    """The error kinds a variant shows (for per-error recall)."""
    kinds = set()
    if after.date_of_birth != before.date_of_birth:
        kinds.add("no_date" if not after.date_of_birth else "date")
    if {after.given_name, after.family_name} == {before.given_name, before.family_name}:
        if after.given_name != before.given_name:
            kinds.add("swap_names")
    elif any(ord(c) > 0x600 for c in after.given_name + after.family_name):
        kinds.add("arabic")
    elif after.given_name != before.given_name or after.family_name != before.family_name:
        kinds.add("typo or spelling")
    return kinds


def exact_hash(who: Identity) -> str:
    text = "|".join(
        part.strip().lower()
        for part in (who.given_name, who.family_name, who.date_of_birth, who.sex)
    )
    return hmac.new(SECRET.encode(), text.encode(), hashlib.sha256).hexdigest()


def scored(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> str:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    counts = f"{hits:,} of {len(truth):,} true pairs, {len(found):,} proposed"
    return f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  ({counts})"


def main(n: int) -> None:
    rows, quasi = build(n)
    a_rows = [r for r, row in enumerate(rows) if row[2] == 0]
    person_row_a = {rows[r][1]: r for r in a_rows}
    truth = {
        (person_row_a[i], r)
        for r, (_w, i, entity, _e) in enumerate(rows)
        if entity == 1 and i in person_row_a
    }
    print(f"records: {len(rows):,} (A {len(a_rows):,}, B {len(rows) - len(a_rows):,})")
    print(f"true cross-entity pairs: {len(truth):,}")
    print("kinds of B's records:", dict(Counter(row[3] for row in rows if row[2] == 1)))

    started = time.perf_counter()
    keys = [encode(who, SECRET) for who, *_ in rows]
    encoding = time.perf_counter() - started
    print(f"encoding: {encoding:.1f} s ({len(rows) / encoding:,.0f} identities/s)")
    records = dedup.Records(
        ids=np.arange(len(rows), dtype=np.int64),
        entities=np.array([row[2] for row in rows], dtype=np.int64),
        keys=matching.as_matrix([decode(key).tobytes() for key in keys]),
        quasi=quasi,
    )
    started = time.perf_counter()
    clusters = dedup.clusters_of(records)
    print(f"linkage (candidates, scores, groups): {time.perf_counter() - started:.2f} s")
    linked = {tuple(sorted(c.record_ids)) for c in clusters}

    by_hash: dict[str, list[int]] = {}
    for r, (who, *_rest) in enumerate(rows):
        by_hash.setdefault(exact_hash(who), []).append(r)
    hashed = {
        (a, b) for group in by_hash.values() for a in group for b in group
        if a < b and rows[a][2] == 0 and rows[b][2] == 1
    }  # fmt: skip

    print(f"linkage keys:  {scored(linked, truth)}")
    print(f"exact hash:    {scored(hashed, truth)}")
    print("recall by the kind of difference (linkage keys | exact hash):")
    for kind in sorted({row[3] for row in rows if row[2] == 1} - {"own", "namesake"}):
        wanted = {pair for pair in truth if rows[pair[1]][3] == kind}
        keys_hit, hash_hit = len(wanted & linked), len(wanted & hashed)
        share = f"{keys_hit / len(wanted):.3f} | {hash_hit / len(wanted):.3f}"
        print(f"  {kind:<22} {share}  ({len(wanted):,} pairs)")
    namesakes = [r for r, row in enumerate(rows) if row[3] == "namesake"]
    wrongly = sum(1 for _a, b in linked if b in set(namesakes))
    print(f"namesakes (same name, other birth date) linked wrongly: {wrongly} of {len(namesakes)}")
    calibration(records, truth)


def calibration(records, truth) -> None:  # type: ignore[no-untyped-def]
    """Predicted probability of the candidate pairs against the share that are true."""
    pairs = matching.candidate_pairs(records.keys, records.entities)
    probabilities = 1 / (1 + np.exp(-dedup.log_odds(records, pairs)))
    true = np.array(
        [(int(a), int(b)) in truth for a, b in zip(pairs.left, pairs.right, strict=True)]
    )
    print("calibration of the candidate pairs (probability bin: pairs, share truly the same):")
    edges = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0001]
    for low, high in itertools.pairwise(edges):
        inside = (probabilities >= low) & (probabilities < high)
        if inside.any():
            share = true[inside].mean()
            print(f"  [{low:.2f}, {min(high, 1):.2f}): {inside.sum():>7,}  {share:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
