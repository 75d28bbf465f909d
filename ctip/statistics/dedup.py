"""Counting each victim once: probabilistic matching of records across entities (Splink).

Records are compared on their keyed identity hash (a blind index of the person's identity,
never the identity itself) and on quasi-identifiers: sex, age band, citizenship and country
of detection. Only pairs from different entities are scored. Pairs are clustered (connected
components) at DEFAULT_THRESHOLD; an analyst then confirms or rejects each cluster.

The same model runs on Splink's Spark backend for volumes one machine cannot hold: build the
same settings, pass `SparkAPI(spark_session=...)` instead of `DuckDBAPI()` and register a
Spark DataFrame read from PostgreSQL (JDBC) in place of the columnar dict (docs/dedup.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ctip.statistics.models import DuplicateMember, VictimRecord

DEFAULT_THRESHOLD = 0.9
COLUMNS = [
    "unique_id",
    "entity_id",
    "identity_hash",
    "sex",
    "age_band",
    "citizenship",
    "country_of_detection",
]


def settings_for_round():  # type: ignore[no-untyped-def]
    import splink.comparison_library as cl
    from splink import SettingsCreator

    def exact(column: str, m: float, u: float):  # type: ignore[no-untyped-def]
        return cl.ExactMatch(column).configure(
            m_probabilities=[m, 1 - m], u_probabilities=[u, 1 - u]
        )

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=1e-4,
        comparisons=[
            exact("identity_hash", 0.95, 1e-7),
            exact("sex", 0.98, 0.5),
            exact("age_band", 0.85, 0.12),
            exact("citizenship", 0.95, 0.2),
            exact("country_of_detection", 0.9, 0.3),
        ],
        blocking_rules_to_generate_predictions=[
            {
                "blocking_rule": "l.identity_hash = r.identity_hash and l.entity_id <> r.entity_id",
                "sql_dialect": "duckdb",
            },
        ],
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["entity_id"],
    )


@dataclass(frozen=True)
class Cluster:
    record_ids: list[int]
    match_probability: float


def find_clusters(round_id: int, threshold: float = DEFAULT_THRESHOLD) -> list[Cluster]:
    """Clusters of the round's records (not yet in a decided cluster) across entities."""
    from splink import DuckDBAPI, Linker

    decided = (
        DuplicateMember.objects.filter(cluster__round_id=round_id)
        .exclude(cluster__status="proposed")
        .values("record_id")
    )
    rows = (
        VictimRecord.objects.filter(submission__round_id=round_id)
        .exclude(submission__status="draft")
        .exclude(identity_hash="")
        .exclude(pk__in=decided)
        .values_list(
            "pk",
            "submission__entity_id",
            "identity_hash",
            "sex",
            "age_band",
            "citizenship_id",
            "submission__country_of_detection_id",
        )
    )
    columns: dict[str, list[object]] = {name: [] for name in COLUMNS}
    for values in rows.iterator(chunk_size=10_000):
        for name, value in zip(COLUMNS, values, strict=True):
            columns[name].append(value)
    if len(columns["unique_id"]) < 2:
        return []
    db_api = DuckDBAPI()
    table = db_api.register(columns, table_name="records")
    linker = Linker(table, settings_for_round(), log_level=logging.WARNING)
    pairs = linker.inference.predict(threshold_match_probability=threshold)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pairs, threshold_match_probability=threshold
    )
    probability: dict[int, float] = {}
    for pair in pairs.as_record_list():
        for side in ("unique_id_l", "unique_id_r"):
            record = int(pair[side])
            probability[record] = min(
                probability.get(record, 1.0), float(pair["match_probability"])
            )
    members: dict[str, list[int]] = {}
    for row in clustered.as_record_list():
        members.setdefault(str(row["cluster_id"]), []).append(int(row["unique_id"]))
    return [
        Cluster(sorted(ids), min(probability.get(i, 1.0) for i in ids))
        for ids in members.values()
        if len(ids) > 1
    ]
