"""Candidate pairs on Spark, for a round too large for one machine (CTIP_LINKAGE_ENGINE=spark,
CTIP_SPARK_MASTER=spark://host:7077 or local[N]; docs/deploy.md).

The same blocking and the same Dice as `ctip.linkage.matching`, so the pairs, and therefore
the clusters, are the ones the one-machine engine finds. The keys go to Spark as Arrow
batches. Each executor computes the band buckets and the Dice of its pairs with the same
numpy functions (`mapInArrow`, without pandas), and Spark does the bucket sizes and the
self-join of the buckets. Only the pairs that pass the threshold come back to the worker,
which scores and groups them as before. Executors run CTIP's code: install CTIP, with the
`spark` extra, on each of them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
from django.conf import settings
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from ctip.linkage import matching
from ctip.linkage.keys import KEY_BYTES

BANDS_SCHEMA = "row long, entity long, undated boolean, band int, bucket long"
PAIRS_SCHEMA = "left long, right long"


def session() -> SparkSession:
    """The Spark session of this process, on CTIP_SPARK_MASTER. The executors' Python is
    this one on a local Spark; on a cluster, the one where CTIP is installed on each
    executor (CTIP_SPARK_PYTHON)."""
    os.environ["PYSPARK_PYTHON"] = os.environ.get("CTIP_SPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(settings.CTIP_SPARK_MASTER)
        .appName("ctip-linkage")
        .config("spark.ui.enabled", "false")
        # shuffles and cached blocks hold linkage keys: encrypted on the executors' disks
        .config("spark.io.encryption.enabled", "true")
        .config("spark.sql.shuffle.partitions", str(settings.CTIP_SPARK_PARTITIONS))
    )
    if settings.CTIP_SPARK_MASTER.startswith("local"):  # nothing listens beyond this machine
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config(
            "spark.driver.host", "127.0.0.1"
        )
    return builder.getOrCreate()


def candidate_pairs(
    keys: np.ndarray, entities: np.ndarray, threshold: float, keep: matching.Keep | None = None
) -> matching.Pairs:
    """What `matching.candidate_pairs` returns, computed by Spark. `keep` runs on the
    executors: a module-level function of a module that imports without Django set up."""
    if len(keys) < 2:
        return matching.local_candidate_pairs(keys, entities, threshold, keep)
    spark = session()
    table = pa.table(
        {
            "row": pa.array(np.arange(len(keys), dtype=np.int64)),
            "entity": pa.array(entities.astype(np.int64)),
            "key": pa.array([bytes(k) for k in keys], type=pa.binary(KEY_BYTES)),
        }
    )
    records = spark.createDataFrame(table).repartition(settings.CTIP_SPARK_PARTITIONS).cache()
    # each record's buckets, read by both passes' counts and joins: computed once
    bands = records.mapInArrow(_band_rows, BANDS_SCHEMA).cache()
    try:
        found = _pairs(records, bands, threshold, keep).collect()
    finally:
        bands.unpersist()
        records.unpersist()
    if not found:
        return matching.local_candidate_pairs(keys[:0], entities[:0], threshold)
    left = np.array([row["left"] for row in found], dtype=np.int64)
    right = np.array([row["right"] for row in found], dtype=np.int64)
    order = np.lexsort((right, left))  # the one-machine engine's order (np.unique of pairs)
    left, right = left[order], right[order]
    return matching.Pairs(left, right, matching.dice(keys, left, right))


def _pairs(
    records: DataFrame, bands: DataFrame, threshold: float, keep: matching.Keep | None
) -> DataFrame:
    names = bands.withColumn("bucket", F.col("bucket").bitwiseAND(F.lit(int(matching.NAME_BUCKET))))
    pairs = _sharing(bands).union(_sharing(names, needed="undated")).distinct()
    keyed = (
        pairs.join(records.select(F.col("row").alias("left"), F.col("key").alias("lkey")), "left")
        .join(records.select(F.col("row").alias("right"), F.col("key").alias("rkey")), "right")
        .select("left", "right", "lkey", "rkey")
    )
    return keyed.mapInArrow(partial(_passing_rows, threshold=threshold, keep=keep), PAIRS_SCHEMA)


def _sharing(bands: DataFrame, needed: str | None = None) -> DataFrame:
    """`matching._sharing` in Spark: pairs of rows in the same bucket (of at most MAX_BUCKET
    rows), from different entities; with `needed`, in buckets holding a row with that flag
    and pairs including one."""
    flagged = F.col(needed).cast("int") if needed else F.lit(1)
    sizes = bands.groupBy("band", "bucket").agg(
        F.count("*").alias("count"), F.max(flagged).alias("flagged")
    )
    usable = sizes.where(
        (F.col("count") >= 2) & (F.col("count") <= matching.MAX_BUCKET) & (F.col("flagged") == 1)
    )
    members = bands.join(usable.select("band", "bucket"), ["band", "bucket"])
    a, b = members.alias("a"), members.alias("b")
    condition = (
        (F.col("a.band") == F.col("b.band"))
        & (F.col("a.bucket") == F.col("b.bucket"))
        & (F.col("a.row") < F.col("b.row"))
        & (F.col("a.entity") != F.col("b.entity"))
    )
    if needed:
        condition &= F.col(f"a.{needed}") | F.col(f"b.{needed}")
    return a.join(b, condition).select(F.col("a.row").alias("left"), F.col("b.row").alias("right"))


def _keys_of(column: Any) -> np.ndarray:
    values = column.to_pylist()
    return matching.as_matrix(values)


def _band_rows(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Each record's bucket in each band, one row per (record, band)."""
    for batch in batches:
        if batch.num_rows == 0:
            continue
        keys = _keys_of(batch.column("key"))
        buckets = matching.band_keys(keys)
        rows = batch.column("row").to_numpy()
        entities = batch.column("entity").to_numpy()
        yield pa.record_batch(
            {
                "row": np.repeat(rows, matching.BANDS),
                "entity": np.repeat(entities, matching.BANDS),
                "undated": np.repeat(matching.undated(keys), matching.BANDS),
                "band": np.tile(np.arange(matching.BANDS, dtype=np.int32), len(rows)),
                "bucket": buckets.ravel(),
            }
        )


def _passing_rows(
    batches: Iterator[pa.RecordBatch], threshold: float, keep: matching.Keep | None
) -> Iterator[pa.RecordBatch]:
    """The pairs that pass, by the one-machine engine's function (`matching.passing`)."""
    for batch in batches:
        if batch.num_rows == 0:
            continue
        a, b = _keys_of(batch.column("lkey")), _keys_of(batch.column("rkey"))
        chosen = matching.passing(a, b, threshold, keep)
        yield pa.record_batch(
            {
                "left": batch.column("left").to_numpy()[chosen],
                "right": batch.column("right").to_numpy()[chosen],
            }
        )
