"""Benchmark: search N court decisions (default 100,000) in Chinese, Arabic and English.

Usage: python bench/caselaw_search.py [N]   (SQLite in a temp folder by default;
set CTIP_DATABASE_URL=postgres://… for PostgreSQL). Each query is timed counted (facets
computed, cache cleared) and kept (the public search's facets kept for the published version).
Then a decision changes, and the worker's job counts the searches again: the job's time, and
the next visitor's.
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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from ctip.caselaw import search, selectors  # noqa: E402
from ctip.caselaw.demo import DECISIONS  # noqa: E402
from ctip.caselaw.models import Decision  # noqa: E402
from ctip.caselaw.services import clean_decision, decisions_changed, index_text  # noqa: E402
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


def load(count: int) -> None:
    entity = make_entity("BENCH")
    rng = random.Random(3)  # noqa: S311 - synthetic benchmark data
    templates = [clean_decision(raw) for raw in DECISIONS]
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
    started = time.perf_counter()
    if Decision.objects.count() == count:  # a database this benchmark loaded before
        how = "already there"
    else:
        load(count)
        how = f"loaded in {time.perf_counter() - started:.1f} s"
    print(f"database: {connection.vendor}; decisions: {count:,}; {how}")
    for query in [*QUERIES, ""]:
        # counted: the facets computed (the cache cleared before each run; the database
        # warm after the first); kept: the same search again, its facets kept for this
        # published version, its page ranked anew; page 3: another page of a kept search
        counted, kept = [], []
        for _ in range(3):
            recent = selectors.kept().get(selectors.RECENT_KEY, [])
            selectors.kept().clear()  # all but the searches made, which the job counts again
            selectors.kept().set(selectors.RECENT_KEY, recent)
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
    with transaction.atomic():  # a decision changes: nothing kept is valid any more
        decisions_changed()
    started = time.perf_counter()
    recounted = selectors.keep_recent_searches()  # the worker's job, run here
    job = time.perf_counter() - started
    after = []
    for query in [*QUERIES, ""]:
        started = time.perf_counter()
        selectors.decision_search(user=None, query=query)
        after.append(time.perf_counter() - started)
    print(
        f"after a change: the job counted {recounted} searches in {job:.1f} s; "
        f"then each visitor waited {min(after):.3f}-{max(after):.3f} s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
