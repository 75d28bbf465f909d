"""The distributed path: CTIP_LINKAGE_ENGINE=spark finds the same candidate pairs, and so the
same clusters, as the one-machine engine, on a local Spark (pyspark from PyPI, Java 17)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from ctip.linkage import matching
from ctip.linkage.tests.builders import records_of, two_entities
from ctip.statistics import dedup
from ctip.statistics.weights import could_be_proposed

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")


@pytest.fixture(scope="module", autouse=True)
def _stop_spark():
    """One Spark for this module; its JVM is not left running beside the rest of the suite."""
    yield
    from pyspark.sql import SparkSession

    if (active := SparkSession.getActiveSession()) is not None:
        active.stop()


@pytest.fixture(scope="module")
def records():
    return records_of(two_entities(namesakes=40))


def test_spark_finds_the_same_pairs_and_clusters_as_one_machine(records, settings):
    settings.CTIP_SPARK_MASTER = "local[2]"
    settings.CTIP_SPARK_PARTITIONS = 4
    settings.CTIP_LINKAGE_ENGINE = "duckdb"
    local_pairs = matching.candidate_pairs(records.keys, records.entities)
    local_kept = matching.candidate_pairs(records.keys, records.entities, keep=could_be_proposed)
    local_clusters = dedup.clusters_of(records)

    settings.CTIP_LINKAGE_ENGINE = "spark"
    spark_pairs = matching.candidate_pairs(records.keys, records.entities)
    spark_kept = matching.candidate_pairs(records.keys, records.entities, keep=could_be_proposed)
    spark_clusters = dedup.clusters_of(records)

    assert len(local_pairs) > 100  # enough to mean something
    assert np.array_equal(spark_pairs.left, local_pairs.left)
    assert np.array_equal(spark_pairs.right, local_pairs.right)
    assert np.array_equal(spark_pairs.dice, local_pairs.dice)
    # the de-duplication's rule runs on the executors and leaves out the same pairs
    assert 0 < len(local_kept) < len(local_pairs)
    assert np.array_equal(spark_kept.left, local_kept.left)
    assert np.array_equal(spark_kept.right, local_kept.right)
    assert len(local_clusters) > 50
    by_records = lambda clusters: sorted(clusters, key=lambda c: c.record_ids)  # noqa: E731
    assert by_records(spark_clusters) == by_records(local_clusters)


def test_spark_with_nothing_to_pair_returns_no_pairs(records, settings):
    settings.CTIP_LINKAGE_ENGINE = "spark"
    one_entity = np.zeros(len(records.keys[:20]), dtype=np.int64)
    assert len(matching.candidate_pairs(records.keys[:20], one_entity)) == 0
