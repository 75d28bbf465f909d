"""The distributed path: CTIP_LINKAGE_ENGINE=spark finds the same candidate pairs, and so the
same clusters, as the one-machine engine, on a local Spark (pyspark from PyPI, Java 17)."""

from __future__ import annotations

import random
import shutil

import numpy as np
import pytest

from ctip.linkage import matching, synthetic
from ctip.linkage.keys import decode, encode
from ctip.statistics import dedup

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")
SECRET = "a round secret shared by the entities, long enough"


def two_entities(people: int = 300, seed: int = 19) -> dict:
    """Entity 0's people, then entity 1's: two-thirds of them again, with one error or none,
    and some namesakes of entity 0's people."""
    rng = random.Random(seed)
    first = [synthetic.person(rng) for _ in range(people)]
    second = [
        synthetic.variant(rng, who, rng.choice([0, 1, 1])) if rng.random() < 0.67 else who
        for who in first[: people * 2 // 3]
    ]
    second += [synthetic.person(rng) for _ in range(people // 3)]
    everyone = first + second
    return {
        "keys": matching.as_matrix([decode(encode(who, SECRET)).tobytes() for who in everyone]),
        "entities": np.array([0] * len(first) + [1] * len(second), dtype=np.int64),
        "sex": np.array([who.sex for who in everyone]),
    }


@pytest.fixture(scope="module", autouse=True)
def _stop_spark():
    """One Spark for this module; its JVM is not left running beside the rest of the suite."""
    yield
    from pyspark.sql import SparkSession

    if (active := SparkSession.getActiveSession()) is not None:
        active.stop()


@pytest.fixture(scope="module")
def records():
    data = two_entities()
    n = len(data["keys"])
    blank = np.array([""] * n)
    return dedup.Records(
        ids=np.arange(n, dtype=np.int64),
        entities=data["entities"],
        keys=data["keys"],
        quasi={"sex": data["sex"], "age_band": blank, "citizenship": blank, "country": blank},
    )


def test_spark_finds_the_same_pairs_and_clusters_as_one_machine(records, settings):
    settings.CTIP_SPARK_MASTER = "local[2]"
    settings.CTIP_SPARK_PARTITIONS = 4
    settings.CTIP_LINKAGE_ENGINE = "duckdb"
    local_pairs = matching.candidate_pairs(records.keys, records.entities)
    local_clusters = dedup.clusters_of(records)

    settings.CTIP_LINKAGE_ENGINE = "spark"
    spark_pairs = matching.candidate_pairs(records.keys, records.entities)
    spark_clusters = dedup.clusters_of(records)

    assert len(local_pairs) > 100  # enough to mean something
    assert np.array_equal(spark_pairs.left, local_pairs.left)
    assert np.array_equal(spark_pairs.right, local_pairs.right)
    assert np.array_equal(spark_pairs.dice, local_pairs.dice)
    assert len(local_clusters) > 50
    by_records = lambda clusters: sorted(clusters, key=lambda c: c.record_ids)  # noqa: E731
    assert by_records(spark_clusters) == by_records(local_clusters)


def test_spark_with_nothing_to_pair_returns_no_pairs(records, settings):
    settings.CTIP_LINKAGE_ENGINE = "spark"
    one_entity = np.zeros(len(records.keys[:20]), dtype=np.int64)
    assert len(matching.candidate_pairs(records.keys[:20], one_entity)) == 0
