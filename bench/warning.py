"""Benchmark: the early-warning signals for 100 situations over 10 years of monthly data.

Target (issue 16): the signals of 100 situations over 10 years, over a million incidents,
screenings and tips, in under 10 s. Measured side by side in one run with the bare GROUP BY
queries the signals need and with DuckDB grouping the same rows in memory.

Usage: python bench/warning.py [ROWS_PER_KIND]   (SQLite in a temp folder; default 1,000,000)
"""

import datetime
import os
import random
import resource
import sys
import tempfile

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
from ctip.warning import services  # noqa: E402
from ctip.warning.models import SignalMonth  # noqa: E402

SITUATIONS = 100
DAYS = 3650  # ten years, to today (the daily computation's view)
AS_OF = datetime.date.today()
START = AS_OF - datetime.timedelta(days=DAYS)
VIOLATIONS = ["abduction", "abduction;sexual_violence", "recruitment_use", "killing_maiming"]


def insert(sql: str, rows) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic(), connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == 100_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def main(rows: int) -> None:
    call_command("migrate", verbosity=0)
    load_reference_data()
    countries = list(Country.objects.order_by("alpha3")[:SITUATIONS])
    situations, entities = [], []
    for n, country in enumerate(countries):
        situations.append(
            core.conflict_situation_save(
                actor=None, name=f"Bench situation {n}", countries=[country], start_date=START
            ).pk
        )
        entity = make_entity(f"B{n:03d}")
        entity.country = country
        entity.save()
        entities.append(entity.pk)
    rng = random.Random(16)  # noqa: S311 - synthetic data
    now = datetime.datetime.now(datetime.UTC).isoformat()

    def day() -> str:
        return (START + datetime.timedelta(days=rng.randrange(DAYS))).isoformat()

    print(f"== {rows:,} verified incidents, {rows:,} screenings, {rows:,} tips")
    timed(
        "load incidents (bare insert)",
        lambda: insert(
            "INSERT INTO incidents_incident (entity_id, reference, external_id, situation_id, "
            "date, year, country_id, admin1, violations, girls, boys, women, men, unknown_sex, "
            "victims, status, status_imported, basis, created_at) VALUES "
            "(%s, %s, '', %s, %s, 2020, 'CAF', '', %s, 1, 0, 0, 0, 0, 1, 'verified', TRUE, '', %s)",
            (
                (entities[0], f"B-{n}", rng.choice(situations), day(), rng.choice(VIOLATIONS), now)
                for n in range(rows)
            ),
        ),
    )
    timed(
        "load screenings (bare insert)",
        lambda: insert(
            "INSERT INTO cases_screening (entity_id, screener_name, screened_on, place, setting, "
            "indicator_set, answers, outcome, reason, submission_id, created_at) VALUES "
            "(%s, '', %s, '', 'camp', 'ilo_forced_labour', '{}', %s, 'bench', '', %s)",
            (
                (rng.choice(entities), day(), rng.choice(["presumed_victim", "not_a_victim"]), now)
                for _ in range(rows)
            ),
        ),
    )
    timed(
        "load tips (bare insert)",
        lambda: insert(
            'INSERT INTO cases_tip (entity_id, what, "where", contact, received_at, status, '
            "triage_note) VALUES (%s, 'x', '', '', %s, 'new', '')",
            ((rng.choice(entities), day() + "T10:00:00+00:00") for _ in range(rows)),
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    print(f"== signals of {SITUATIONS} situations, 10 years, as of {AS_OF}")
    results, _cold = timed(
        "CTIP evaluate (collect, test, levels), cold", lambda: services.evaluate(AS_OF)
    )
    _again, warm = timed("CTIP evaluate, warm", lambda: services.evaluate(AS_OF))
    (_r, run), stored = timed(
        "CTIP compute (evaluate, store, alerts)", lambda: services.compute(AS_OF)
    )
    months = max(len(r.situation.levels) for r in results)
    print(
        f"{len(results)} situations, {months} months each, {SignalMonth.objects.count():,} "
        f"signal-months stored, {run.alerts} alerts; evaluate warm {warm:.2f} s, compute "
        f"{stored:.2f} s (target < 10 s)"
    )

    def bare() -> list:  # type: ignore[type-arg]
        with connection.cursor() as cursor:
            found = []
            for sql in (
                "SELECT situation_id, violations, substr(date, 1, 7), count(*), sum(victims) "
                "FROM incidents_incident WHERE status = 'verified' GROUP BY 1, 2, 3",
                "SELECT entity_id, substr(screened_on, 1, 7), count(*) FROM cases_screening "
                "WHERE outcome = 'presumed_victim' GROUP BY 1, 2",
                "SELECT entity_id, substr(received_at, 1, 7), count(*) FROM cases_tip "
                "GROUP BY 1, 2",
            ):
                cursor.execute(sql)
                found += cursor.fetchall()
            return found

    timed("beside: the bare GROUP BY queries alone", bare)
    import duckdb
    import pyarrow as pa

    with connection.cursor() as cursor:
        cursor.execute("SELECT situation_id, violations, date, victims FROM incidents_incident")
        columns = list(zip(*cursor.fetchall(), strict=True))
    names = ("situation", "violations", "day", "victims")
    duck = duckdb.connect()
    duck.register("incidents", pa.table({n: list(v) for n, v in zip(names, columns, strict=True)}))
    timed(
        f"beside: DuckDB, the incidents' GROUP BY over {rows:,} rows in memory",
        lambda: duck.sql(
            "SELECT situation, violations, substr(CAST(day AS VARCHAR), 1, 7), count(*), "
            "sum(victims) FROM incidents GROUP BY 1, 2, 3"
        ).fetchall(),
    )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
