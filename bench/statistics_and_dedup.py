"""Benchmark: statistics of a round and cross-entity de-duplication at N records.

Usage: python bench/statistics_and_dedup.py [N] [--no-dedup | --linkage-only]   (SQLite in a
temp folder by default). Every record gets a synthetic person's linkage key, then the round
is de-duplicated; --no-dedup leaves both out. The import, the statistics, the pages and the
peak memory are measured either way. --linkage-only de-duplicates the same keys in memory,
without the database.
"""

import base64
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path

os.environ.setdefault("CTIP_DATA_DIR", tempfile.mkdtemp(prefix="ctip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")
sys.path.insert(0, str(Path(__file__).parent))

import django
import numpy as np
from bitarray import bitarray

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from import_records import write_file  # noqa: E402
from timing import timed  # noqa: E402

from ctip.core.reference import load_reference_data  # noqa: E402
from ctip.core.testing import make_entity  # noqa: E402
from ctip.linkage import synthetic  # noqa: E402
from ctip.linkage.keys import BITS, KEY_BYTES, Identity, bits_of, encode  # noqa: E402
from ctip.statistics import dedup  # noqa: E402
from ctip.statistics.dedup import find_clusters  # noqa: E402
from ctip.statistics.figures import area_rows, round_figures  # noqa: E402
from ctip.statistics.importing import import_file  # noqa: E402
from ctip.statistics.models import Submission, VictimRecord  # noqa: E402
from ctip.statistics.services import round_open  # noqa: E402


def main(rows: int, dedup: bool = True) -> None:
    call_command("migrate", verbosity=0)
    load_reference_data()
    round_ = round_open(actor=None, year=2025, deadline=date(2026, 6, 30))
    folder = Path(os.environ["CTIP_DATA_DIR"])
    for code in ("ALPHA", "BETA"):
        path = folder / f"{code}.csv"
        write_file(path, rows // 2)
        result, _seconds = timed(
            f"import of {rows // 2:,} rows ({code})",
            lambda code=code, path=path: import_from(path, code, round_, rows),
        )
        assert result.ok
    print(f"peak memory after the imports: {peak_mb():,.0f} MB")
    Submission.objects.update(status="submitted")
    if dedup:  # every record gets a linkage key; one in twenty people is in both entities
        timed("linkage keys given (benchmark set-up)", lambda: give_linkage_keys(rows))
    print(f"database: {connection.vendor}; records: {VictimRecord.objects.count():,}")
    submissions = list(Submission.objects.all())
    timed("statistics, first run", lambda: round_figures(submissions, deduplicate=True))
    figures, _warm = timed("statistics, warm", lambda: round_figures(submissions, deduplicate=True))
    timed("regions table", lambda: area_rows(figures, "region"))
    if dedup:
        clusters, _dedup = timed("de-duplication (linkage keys)", lambda: find_clusters(round_.pk))
        print(f"clusters found: {len(clusters):,}; peak memory: {peak_mb():,.0f} MB")
    pages(round_)
    print(f"peak memory of this process: {peak_mb():,.0f} MB")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_from(path: Path, code: str, round_, rows: int):  # type: ignore[no-untyped-def]
    """The file read from disk a chunk at a time, as `ctip import_records` reads it."""
    with path.open("rb") as data:
        return import_file(
            actor=None,
            entity=make_entity(code),
            round_=round_,
            data=data,
            filename=path.name,
            max_rows=rows,
        )


def record_keys(rows: int) -> Iterator[tuple[int, str]]:
    """Keys of synthetic people: record i is person i mod (0.95 × rows), so the first 5 %
    of people appear in both entities' files (with the same key)."""
    people = int(rows * 0.95)
    kept: list[str] = []  # the keys given again to the last 5 % of records
    for i, key in enumerate(synthetic_keys(people, random.Random(7))):  # noqa: S311
        if i < rows - people:
            kept.append(key)
        yield i, key
    for i in range(people, rows):
        yield i, kept[i - people]


def give_linkage_keys(rows: int) -> None:
    """`record_keys` written into the round's records, in the order of their ids."""
    keys = partial(record_keys, rows)
    if connection.vendor != "postgresql":
        ids = list(VictimRecord.objects.order_by("pk").values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE statistics_victimrecord SET linkage_key = %s WHERE id = %s",
                [(key, ids[i]) for i, key in keys()],
            )
        return
    with connection.cursor() as cursor:  # ten million single updates would take an hour
        cursor.execute("CREATE TEMP TABLE bench_keys (i bigint PRIMARY KEY, key text)")
        with cursor.copy("COPY bench_keys (i, key) FROM STDIN") as copy:
            for i, key in keys():
                copy.write_row((i, key))
        cursor.execute(
            "UPDATE statistics_victimrecord r SET linkage_key = k.key FROM (SELECT id, "
            "row_number() OVER (ORDER BY id) - 1 AS i FROM statistics_victimrecord) n "
            "JOIN bench_keys k USING (i) WHERE r.id = n.id"
        )


def synthetic_keys(people: int, rng: random.Random) -> Iterator[str]:
    """The keys of `people` synthetic people, as `encode` makes them, in a fraction of its
    time: a key is the union of its tokens' bits and each feature has a segment of its own,
    so the names' part is encoded once per name and the date's and sex's once per date and
    sex. The first keys are checked against `encode` itself."""
    secret = "bench-round-secret-2025"  # noqa: S105 - synthetic people
    names: dict[tuple[str, str], int] = {}
    dates: dict[tuple[str, str], int] = {}
    segments = bitarray(BITS)
    segments.setall(False)
    for feature in ("date_of_birth", "sex"):
        segments[bits_of(feature)] = True
    date_and_sex = int.from_bytes(segments.tobytes(), "big")

    def bits(identity: Identity) -> int:
        return int.from_bytes(base64.b64decode(encode(identity, secret)), "big")

    for n in range(people):
        who = synthetic.person(rng)
        name = (who.given_name, who.family_name)
        if name not in names:
            names[name] = bits(Identity(*name))
        date = (who.date_of_birth, who.sex)
        if date not in dates:
            dates[date] = bits(Identity("a", "", *date)) & date_and_sex
        key = base64.b64encode((names[name] | dates[date]).to_bytes(KEY_BYTES, "big")).decode()
        if n < 1000:
            assert key == encode(who, secret), who
        yield key


def pages(round_) -> None:  # type: ignore[no-untyped-def]
    """The pages people open: the analyst's round page, then the public release."""
    from ctip.core.codes import Role
    from ctip.core.testing import make_user, signed_in_client
    from ctip.statistics.services import round_publish

    analyst = make_user(make_entity("ANALYSTS"), Role.ANALYST)
    client = signed_in_client(analyst)

    def get(url: str) -> None:
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code)

    url = f"/statistics/rounds/{round_.year}/"
    timed("analyst's round page, first", lambda: get(url))
    timed("analyst's round page, warm", lambda: get(url))
    round_.submissions.update(status="validated")
    timed("publish the round", lambda: round_publish(actor=analyst, round_=round_))
    public = f"/public/statistics/{round_.year}/"
    timed("public release page, first", lambda: get(public))
    timed("public release page, warm", lambda: get(public))
    if os.environ.get("CTIP_PROFILE"):
        import cProfile
        import pstats

        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            get(url)
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:6]:
            print(query["time"], query["sql"][:300])
        for target in (url, public):
            profile = cProfile.Profile()
            profile.runcall(get, target)
            pstats.Stats(profile).sort_stats("tottime").print_stats(15)


def linkage_only(rows: int) -> None:
    """The de-duplication of `rows` records of two entities (the first and second half) with
    the keys `record_keys` gives them, without the database: how far one machine goes."""
    keys = np.empty((rows, KEY_BYTES), dtype=np.uint8)
    started = time.perf_counter()
    for i, key in record_keys(rows):
        keys[i] = np.frombuffer(base64.b64decode(key), dtype=np.uint8)
    print(f"{rows:,} synthetic keys: {time.perf_counter() - started:.0f} s")
    blank = np.full(rows, "")
    records = dedup.Records(
        ids=np.arange(rows, dtype=np.int64),
        entities=(np.arange(rows) >= rows // 2).astype(np.int64),
        keys=keys,
        quasi=dict.fromkeys(dedup.EVIDENCE, blank),
    )
    pairs, _took = timed(
        "candidate pairs (blocking, Dice, the floor)", lambda: dedup.candidates(records)
    )
    print(f"  {len(pairs):,} pairs; peak memory {peak_mb():,.0f} MB")
    held = [pairs]  # handed over, so that clusters_of can let the candidates go
    del pairs
    clusters, _took = timed("scores and clusters", lambda: dedup.clusters_of(records, held.pop()))
    print(f"  {len(clusters):,} clusters, {rows - int(rows * 0.95):,} people in both files")
    print(f"peak memory {peak_mb():,.0f} MB")


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(numbers[0]) if numbers else 100_000
    if "--linkage-only" in sys.argv:
        linkage_only(rows)
    else:
        main(rows, dedup="--no-dedup" not in sys.argv)
