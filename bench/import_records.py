"""Benchmark: import N CTDC-layout rows, beside DuckDB read_csv and PostgreSQL COPY.

Usage: python bench/import_records.py [N]   (SQLite in a temp folder by default;
set CTIP_DATABASE_URL=postgres://… to import into PostgreSQL and also time COPY there).
"""

import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CTIP_DATA_DIR", tempfile.mkdtemp(prefix="ctip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from ctip.core.reference import load_reference_data  # noqa: E402
from ctip.core.testing import make_entity  # noqa: E402
from ctip.statistics.importing import import_file  # noqa: E402
from ctip.statistics.services import round_open  # noqa: E402

HEADER = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "meansDebtBondageEarnings",
    "meansThreats",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "recruiterRelationFamily",
]


def write_file(path: Path, rows: int, year: int = 2025) -> None:
    rng = random.Random(7)  # noqa: S311 - synthetic benchmark data
    countries = ["NGA", "LBY", "IRQ", "SYR", "CAF", "UKR", "POL", "ITA", "NER", "ERI"]
    ages = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for _ in range(rows):
            writer.writerow(
                [
                    year,
                    rng.choice(["Woman", "Man"]),
                    rng.choice(ages),
                    rng.choice(countries),
                    rng.choice(countries),
                    rng.choice(["1", ""]),
                    rng.choice(["1", ""]),
                    rng.choice(["1", ""]),
                    rng.choice(["1", ""]),
                    "",
                    rng.choice(["1", ""]),
                ]
            )


def main(rows: int) -> None:
    call_command("migrate", verbosity=0)
    load_reference_data()
    entity = make_entity("BENCH")
    round_ = round_open(actor=None, year=2025, deadline=__import__("datetime").date(2026, 6, 30))
    path = Path(os.environ["CTIP_DATA_DIR"]) / f"ctdc-{rows}.csv"
    write_file(path, rows)
    size_mb = path.stat().st_size / 1e6
    started = time.perf_counter()
    with path.open("rb") as data:
        result = import_file(
            actor=None, entity=entity, round_=round_, data=data, filename=path.name
        )
    seconds = time.perf_counter() - started
    assert result.ok, result.as_dict()
    print(f"database: {connection.vendor}; rows: {rows:,}; file: {size_mb:.0f} MB")
    print(
        f"ctip import: {seconds:.1f} s ({rows / seconds:,.0f} rows/s); "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    import duckdb

    started = time.perf_counter()
    count = duckdb.sql(f"select count(*) from read_csv('{path}')").fetchall()[0][0]  # noqa: S608
    print(f"duckdb read_csv: {time.perf_counter() - started:.2f} s ({count:,} rows)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE copy_bench (" + ", ".join(f'"{c}" text' for c in HEADER) + ")"
            )
            started = time.perf_counter()
            with (
                cursor.copy("COPY copy_bench FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
                path.open("rb") as handle,
            ):
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
            print(f"postgresql COPY: {time.perf_counter() - started:.2f} s")
        copy_into_records(result.rows, round_)


def copy_into_records(rows: int, round_) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL COPY of the same records, already checked and coded, into the records table
    itself (its indexes and foreign keys), for a new submission, committed: the same writing
    work the import does, without reading or checking the file."""
    from django.db import transaction

    from ctip.core.models import Entity
    from ctip.statistics.bulk import RECORD_COLUMNS
    from ctip.statistics.models import Submission

    sources = ", ".join(
        str(pk) for pk in Submission.objects.filter(round=round_).values_list("pk", flat=True)
    )
    twin = Submission.objects.create(
        round=round_, entity=Entity.objects.get(code="BENCH"), country_of_detection_id="AFG"
    )
    columns = ", ".join(c for c in RECORD_COLUMNS if c != "submission_id")
    path = Path(os.environ["CTIP_DATA_DIR"]) / "records.csv"
    with (
        connection.cursor() as cursor,
        path.open("wb") as handle,
        cursor.copy(
            f"COPY (SELECT {twin.pk}, {columns} FROM statistics_victimrecord "  # noqa: S608
            f"WHERE submission_id IN ({sources}) ORDER BY record_uuid) TO STDOUT (FORMAT csv)"
        ) as copy,
    ):
        for chunk in copy:
            handle.write(chunk)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with (
            cursor.copy(
                f"COPY statistics_victimrecord (submission_id, {columns}) FROM STDIN (FORMAT csv)"
            ) as copy,
            path.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        copied = time.perf_counter() - started
    print(
        f"postgresql COPY of the {rows:,} checked records into the records table: "
        f"{copied:.2f} s, committed (foreign keys checked) {time.perf_counter() - started:.2f} s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
