"""Benchmark: search N court decisions (default 100,000) in Chinese, Arabic and English.

Usage: python bench/caselaw_search.py [N]   (SQLite in a temp folder by default;
set CTIP_DATABASE_URL=postgres://… for PostgreSQL; CTIP_DATA_DIR to keep the loaded database
and reuse it). Each query is timed counted by the database (as while the index is built),
then answered by the public search index (a search nobody made under this version), and kept
(the same search again). Then a decision changes, and the worker's job builds the index and
counts the recent searches again: the job's time, and the next visitor's.
"""

import datetime
import os
import random
import resource
import sys
import tempfile
import time
from unittest import mock

os.environ.setdefault("CTIP_DATA_DIR", tempfile.mkdtemp(prefix="ctip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from ctip.caselaw import search, search_index, selectors  # noqa: E402
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
FILTERED = {"verdict": "convicted", "conflict": "yes"}


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
        # counted by the database, as before the index (or while it is being built): the
        # cache cleared before each run, the database warm after the first
        with mock.patch.object(search_index, "current", return_value=None):
            counted = [timed_search(query) for _ in range(2)]
        print(
            f"{query or '(no query)'}: counted by the database first {counted[0]:.3f} s, warm "
            f"{counted[1]:.3f} s"
        )
    started = time.perf_counter()
    search_index.build(selectors.published_version(), selectors.visible_decisions(None))
    built = time.perf_counter() - started
    index = search_index.current(selectors.published_version())
    assert index is not None
    folder = index.folder
    size = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
    print(
        f"index built in {built:.1f} s ({size:.0f} MB on disk); "
        f"process memory now {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"
    )
    for query, filters in [*((q, {}) for q in [*QUERIES, ""]), ("trafficking", FILTERED)]:
        # by the index: a search nobody made under this version (kept searches cleared)
        answered = [timed_search(query, filters) for _ in range(3)]
        kept = []
        for _ in range(3):
            started = time.perf_counter()
            result = selectors.decision_search(user=None, query=query, filters=filters)
            kept.append(time.perf_counter() - started)
        started = time.perf_counter()
        selectors.decision_search(user=None, query=query, filters=filters, page=12)
        page = time.perf_counter() - started
        how = " (close spelling, by the database)" if result.approximate else ""
        print(
            f"{query or '(no query)'} {filters or ''}: {result.total:,} hits{how}; by the index "
            f"{min(answered):.3f}-{max(answered):.3f} s; kept {min(kept):.3f} s; "
            f"page 12 {page:.3f} s"
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
        f"after a change: the job built the index and counted {recounted} searches in "
        f"{job:.1f} s; then each visitor waited {min(after):.3f}-{max(after):.3f} s"
    )


def timed_search(query: str, filters: dict[str, str] | None = None) -> float:
    """A public search nobody made under the current version: what is kept cleared, but for
    the list of searches made, which the job counts again."""
    recent = selectors.kept().get(selectors.RECENT_KEY, [])
    selectors.kept().clear()
    selectors.kept().set(selectors.RECENT_KEY, recent)
    started = time.perf_counter()
    selectors.decision_search(user=None, query=query, filters=filters)
    return time.perf_counter() - started


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
