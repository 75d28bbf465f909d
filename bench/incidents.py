"""Benchmark: importing incidents and counting the patterns of verified ones.

Targets (issue 14): import of 100,000 incidents under 30 s; patterns over 1,000,000
incidents under 1 s warm. Measured side by side in one run with a bare executemany insert
of the same rows and with DuckDB reading the same file / grouping the same rows.

Usage: python bench/incidents.py [IMPORT_ROWS] [PATTERN_ROWS]   (SQLite in a temp folder)
"""

import csv
import datetime
import os
import random
import resource
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("CTIP_DATA_DIR", tempfile.mkdtemp(prefix="ctip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from timing import timed  # noqa: E402

from ctip.core import services as core  # noqa: E402
from ctip.core.models import Country  # noqa: E402
from ctip.core.reference import load_reference_data  # noqa: E402
from ctip.core.testing import make_entity  # noqa: E402
from ctip.incidents import patterns, services  # noqa: E402
from ctip.incidents.models import Incident  # noqa: E402
from ctip.tabular import read_dicts  # noqa: E402

VIOLATIONS = [
    "abduction;sexual_violence",
    "abduction;recruitment_use",
    "recruitment_use",
    "killing_maiming",
    "abduction",
    "sexual_violence",
    "attack_school_hospital",
]
PARTIES = ["Group A", "Group B", "Group C", "Force D", "unknown"]
AREAS = ["Vakaga", "Ouham", "Haut-Kotto", "Bamingui-Bangoran", "Nana-Grébizi"]
STATUSES = ["verified", "verified", "verified", "reported", "unverifiable"]


def write_file(path: Path, rows: int, rng: random.Random) -> None:
    start = datetime.date(2016, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(services.COLUMNS)
        for n in range(rows):
            counts = [rng.choice([0, 0, 1, 2, 5]) for _ in range(4)] + [1]
            writer.writerow(
                [
                    f"B-{n}",
                    (start + datetime.timedelta(days=n % 3000)).isoformat(),
                    "CAF",
                    rng.choice(AREAS),
                    "Bench conflict",
                    rng.choice(PARTIES),
                    rng.choice(VIOLATIONS),
                    *counts,
                    rng.choice(STATUSES),
                ]
            )


def main(import_rows: int, pattern_rows: int) -> None:
    call_command("migrate", verbosity=0)
    load_reference_data()
    situation = core.conflict_situation_save(
        actor=None,
        name="Bench conflict",
        countries=[Country.objects.get(alpha3="CAF")],
        start_date=datetime.date(2012, 1, 1),
    )
    for name in PARTIES[:-1]:
        services.party_save(
            actor=None,
            raw={"situation": situation.pk, "name": name, "kind": "non_state_armed_group"},
        )
    entity = make_entity("BENCH")
    rng = random.Random(14)  # noqa: S311 - synthetic data
    folder = Path(os.environ["CTIP_DATA_DIR"])
    path = folder / "incidents.csv"
    write_file(path, import_rows, rng)
    print(f"== import of {import_rows:,} incidents ({path.stat().st_size / 1e6:.1f} MB CSV)")
    rows, read_s = timed(
        "read the file (tabular.read_dicts)",
        lambda: read_dicts(path.read_bytes(), path.name, services.MAX_INCIDENT_ROWS),
    )
    report, import_s = timed(
        "validate and write (incidents_import)",
        lambda: services.incidents_import(entity=entity, rows=rows, actor_label="bench"),
    )
    assert report.created == import_rows and not report.errors, report.errors[:3]
    print(f"CTIP import total: {read_s + import_s:.2f} s (target < 30 s)")
    import duckdb

    timed(
        "beside: DuckDB read_csv of the same file",
        lambda: duckdb.sql(f"SELECT count(*) FROM read_csv('{path}')").fetchall(),  # noqa: S608
    )
    columns = (
        "entity_id",
        "reference",
        "external_id",
        "situation_id",
        "date",
        "year",
        "country_id",
        "admin1",
        "violations",
        "girls",
        "boys",
        "women",
        "men",
        "unknown_sex",
        "victims",
        "status",
        "status_imported",
        "basis",
        "created_at",
    )
    party_ids = list(Incident.objects.values_list("party_id", flat=True).distinct())

    def bulk_rows(count: int, offset: int):  # type: ignore[no-untyped-def]
        now = datetime.datetime.now(datetime.UTC).isoformat()
        for n in range(count):
            counts = [rng.choice([0, 1, 2]) for _ in range(5)]
            day = datetime.date(2016, 1, 1) + datetime.timedelta(days=n % 3000)
            yield (
                entity.pk,
                f"BENCH-X-{offset + n}",
                "",
                situation.pk,
                day.isoformat(),
                day.year,
                "CAF",
                rng.choice(AREAS),
                rng.choice(VIOLATIONS),
                *counts,
                sum(counts),
                rng.choice(STATUSES),
                0,
                "",
                now,
                rng.choice(party_ids),
            )

    names, marks = ", ".join((*columns, "party_id")), ", ".join(["%s"] * (len(columns) + 1))
    sql = f"INSERT INTO incidents_incident ({names}) VALUES ({marks})"  # noqa: S608

    def bare_insert():  # type: ignore[no-untyped-def]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, list(bulk_rows(import_rows, 0)))

    timed(f"beside: bare executemany insert of {import_rows:,} rows", bare_insert)

    print(f"== patterns over {pattern_rows:,} incidents")
    missing = pattern_rows - Incident.objects.count()
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, missing, 200_000):
            cursor.executemany(sql, list(bulk_rows(min(200_000, missing - start), 10**7 + start)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Incident.objects.count()
    everything = Incident.objects.all()
    found, _cold = timed("CTIP pattern_rows, cold", lambda: patterns.pattern_rows(everything))
    _again, warm = timed("CTIP pattern_rows, warm", lambda: patterns.pattern_rows(everything))
    timed(
        "CTIP pattern_rows, one year (2020), warm",
        lambda: patterns.pattern_rows(
            everything, datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)
        ),
    )
    print(f"{total:,} incidents, {len(found)} pattern rows; warm {warm:.2f} s (target < 1 s)")

    def bare_group():  # type: ignore[no-untyped-def]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT party_id, year, violations, count(*), sum(victims) "
                "FROM incidents_incident WHERE status = 'verified' "
                "GROUP BY party_id, year, violations"
            )
            return cursor.fetchall()

    timed("beside: the bare GROUP BY in SQLite", bare_group)
    with connection.cursor() as cursor:
        cursor.execute("SELECT party_id, year, violations, victims, status FROM incidents_incident")
        frame = cursor.fetchall()
    import pandas as pd

    data = pd.DataFrame(frame, columns=["party_id", "year", "violations", "victims", "status"])
    duck = duckdb.connect()
    duck.register("data", data)
    timed(
        "beside: DuckDB GROUP BY over the same rows in memory",
        lambda: duck.sql(
            "SELECT party_id, year, violations, count(*), sum(victims) FROM data "
            "WHERE status = 'verified' GROUP BY ALL"
        ).fetchall(),
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000,
    )
