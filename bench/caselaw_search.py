"""Benchmark: search N court decisions (default 100,000) in Chinese, Arabic and English.

Usage: python bench/caselaw_search.py [N]   (SQLite in a temp folder by default;
set CTIP_DATABASE_URL=postgres://… for PostgreSQL). Each query is timed counted (facets
computed, cache cleared) and kept (the public search's facets kept for the published version).
"""

import datetime
import os
import random
import sys
import tempfile
import time

os.environ.setdefault("CTIP_DATA_DIR", tempfile.mkdtemp(prefix="ctip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from ctip.caselaw import search, selectors  # noqa: E402
from ctip.caselaw.demo import DECISIONS  # noqa: E402
from ctip.caselaw.models import Decision  # noqa: E402
from ctip.caselaw.services import clean_decision, index_text  # noqa: E402
from ctip.core.models import ConflictSituation  # noqa: E402
from ctip.core.reference import load_reference_data  # noqa: E402
from ctip.core.testing import make_entity  # noqa: E402

QUERIES = [
    "贩运",
    "儿童",
    "强迫婚姻",
    "أيزيديات",
    "trafficking",
    "consent irrelevant",
    "enfants",
    "cannabus",  # misspelled: PostgreSQL answers by close spelling (pg_trgm)
]


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    load_reference_data()
    for name in (
        "Conflict with ISIL (Da'esh) in Iraq",
        "Armed conflict in the Central African Republic",
    ):
        ConflictSituation.objects.get_or_create(
            name=name, defaults={"start_date": datetime.date(2012, 1, 1)}
        )
    entity = make_entity("BENCH")
    rng = random.Random(3)  # noqa: S311 - synthetic benchmark data
    templates = [clean_decision(raw) for raw in DECISIONS]
    started = time.perf_counter()
    with transaction.atomic():
        batch = []
        for n in range(count):
            values = dict(rng.choice(templates))
            values["title"] = f"{values['title']} #{n}"
            values["decision_date"] = datetime.date(2000 + n % 25, 1 + n % 12, 1 + n % 28)
            decision = Decision(entity=entity, status="published", **values)
            decision.search_text = index_text(
                decision.title,
                decision.fact_summary,
                decision.legal_reasoning,
                " ".join(decision.keywords),
            )
            batch.append(decision)
            if len(batch) == 5000 or n == count - 1:
                created = Decision.objects.bulk_create(batch)
                if connection.vendor == "sqlite":
                    with connection.cursor() as cursor:
                        cursor.executemany(
                            f"INSERT INTO {search.FTS_TABLE} (rowid, search_text) VALUES (%s, %s)",  # noqa: S608
                            [(d.pk, d.search_text) for d in created],
                        )
                batch = []
    if connection.vendor == "postgresql":
        # what autovacuum does soon after a load this size: planner statistics
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE caselaw_decision")
    print(
        f"database: {connection.vendor}; decisions: {count:,}; "
        f"loaded in {time.perf_counter() - started:.1f} s"
    )
    for query in [*QUERIES, ""]:
        # counted: the facets computed (the cache cleared before each run; the database
        # warm after the first); kept: the same search again, its facets kept for this
        # published version, its page ranked anew; page 3: another page of a kept search
        counted, kept = [], []
        for _ in range(3):
            cache.clear()
            started = time.perf_counter()
            result = selectors.decision_search(user=None, query=query)
            counted.append(time.perf_counter() - started)
        for _ in range(3):
            started = time.perf_counter()
            selectors.decision_search(user=None, query=query)
            kept.append(time.perf_counter() - started)
        started = time.perf_counter()
        selectors.decision_search(user=None, query=query, page=3)
        third = time.perf_counter() - started
        how = " (close spelling)" if result.approximate else ""
        print(
            f"{query or '(no query)'}: {result.total:,} hits{how}; counted first "
            f"{counted[0]:.3f} s, warm {min(counted[1:]):.3f} s; kept {min(kept):.3f} s; "
            f"page 3 {third:.3f} s"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
