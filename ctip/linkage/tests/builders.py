"""Encoded records of synthetic people in two entities, for the linkage tests."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np

from ctip.linkage import matching, synthetic
from ctip.linkage.keys import decode, encode
from ctip.statistics import dedup

SECRET = "a round secret shared by the entities, long enough"


def two_entities(people: int = 300, seed: int = 19, namesakes: int = 0) -> dict:
    """Entity 0's people, then entity 1's: two-thirds of them again, with one error or none,
    some people of its own, and `namesakes` of entity 0's people (the same name, born ten
    years, a month and a day later)."""
    rng = random.Random(seed)
    first = [synthetic.person(rng) for _ in range(people)]
    second = [
        synthetic.variant(rng, who, rng.choice([0, 1, 1])) if rng.random() < 0.67 else who
        for who in first[: people * 2 // 3]
    ]
    second += [synthetic.person(rng) for _ in range(people // 3)]
    second += [replace(who, date_of_birth=_later(who.date_of_birth)) for who in first[:namesakes]]
    everyone = first + second
    return {
        "keys": matching.as_matrix([decode(encode(who, SECRET)).tobytes() for who in everyone]),
        "entities": np.array([0] * len(first) + [1] * len(second), dtype=np.int64),
        "sex": np.array([who.sex for who in everyone]),
    }


def records_of(data: dict) -> dedup.Records:
    """`two_entities` as the de-duplication reads a round (no other quasi-identifier)."""
    n = len(data["keys"])
    blank = np.array([""] * n)
    return dedup.Records(
        ids=np.arange(n, dtype=np.int64),
        entities=data["entities"],
        keys=data["keys"],
        quasi={"sex": data["sex"], "age_band": blank, "citizenship": blank, "country": blank},
    )


def _later(born: str) -> str:
    year, month, day = (int(part) for part in born.split("-"))
    return f"{year + 10}-{month % 12 + 1:02d}-{day % 28 + 1:02d}"
