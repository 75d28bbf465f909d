"""The public search index: the published decisions' words in an SQLite FTS5 file and their
facets as arrays, built by the worker for one published version (ADR 0019).

Counted by the database, a search nobody made lately took 1.2-3.8 s at a million decisions
on PostgreSQL (a phrase is checked against each matching row's positions, then the facets,
the keywords and the ranking each read the matches again) and 1.4-1.7 s on SQLite. Here
FTS5 finds and scores the matches, from its own file on either database, and the facets are
counted over arrays in memory.

Only published decisions are in it: it answers the public's searches, never a signed-in one,
which may see drafts. It is read only for the version it was built from, never older than its
data, so nothing stale is served; until the worker has built the current version's index,
the database counts, as before.
"""

from __future__ import annotations

import collections
import hashlib
import logging
import shutil
import sqlite3
import tempfile
import threading
import time
import zipfile
from array import array
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import QuerySet

from ctip.caselaw.models import split_codes
from ctip.caselaw.search import TOKENIZE, fts5_query
from ctip.caselaw.text import Term
from ctip.core.values import parse_whole_number

log = logging.getLogger(__name__)

FACET_LIMIT = 12
YEARS_SHOWN = 15
CODE_FILTERS = {"form": "form", "victims": "victims", "defendants": "defendants", "issue": "issue"}
SOURCE_COLUMNS = {  # a column of the index: the decision's field it is read from
    "country": "country_id",
    "verdict": "verdict",
    "form": "forms_of_exploitation",
    "victims": "victim_nationalities",
    "defendants": "defendant_nationalities",
    "issue": "evidential_issues",
}
COUNTED = ("country", "year", "verdict", "conflict", "form", "victims", "defendants", "keyword")


def top(counter: collections.Counter[str], limit: int = FACET_LIMIT) -> list[tuple[str, int]]:
    """The most frequent values, ties by value (code point order, as `ORDER BY … COLLATE "C"`)."""
    return sorted(((k, n) for k, n in counter.items() if k), key=lambda kv: (-kv[1], kv[0]))[:limit]


def facet_lists(counters: dict[str, collections.Counter[str]]) -> dict[str, list[tuple[str, int]]]:
    """A search's facets from its counts: the one rule for the database and the index."""
    facets = {name: top(counters[name]) for name in ("country", "verdict", "form")}
    facets |= {name: top(counters[name]) for name in ("victims", "defendants", "keyword")}
    facets["year"] = sorted(((y, n) for y, n in counters["year"].items() if y), reverse=True)[
        :YEARS_SHOWN
    ]
    facets["conflict"] = [
        (k, counters["conflict"][k]) for k in ("yes", "no") if counters["conflict"][k]
    ]
    return facets


def answers(filters: dict[str, str]) -> bool:
    """Whether the index answers a search with these filters: not the keyword filter, which
    matches part of the keywords' text as the database does."""
    return not filters.get("keyword")


@dataclass
class Column:
    """A facet column: codes, and where each row's codes start (None: one code per row)."""

    values: list[str]
    codes: np.ndarray
    starts: np.ndarray | None  # row i's codes are codes[starts[i]:starts[i + 1]]

    def counts(self, positions: np.ndarray) -> collections.Counter[str]:
        """How many of the rows at `positions` hold each value."""
        if self.starts is None:
            chosen = self.codes[positions]
        else:  # the codes of each chosen row, without a Python loop
            begins = self.starts[positions].astype(np.int64)
            lengths = self.starts[positions + 1].astype(np.int64) - begins
            within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            chosen = self.codes[np.repeat(begins, lengths) + within]
        found = np.bincount(chosen, minlength=len(self.values))
        return collections.Counter({self.values[c]: int(found[c]) for c in np.flatnonzero(found)})

    def having(self, value: str, size: int) -> np.ndarray:
        """Which rows hold `value`."""
        holding = np.zeros(size, dtype=bool)
        if value in self.values:
            entries = np.flatnonzero(self.codes == self.values.index(value))
            if self.starts is not None:
                entries = np.searchsorted(self.starts, entries, side="right") - 1
            holding[entries] = True
        return holding


class Index:
    """One version's index, loaded: ids in ascending order, dates, columns, the FTS5 file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        with np.load(folder / "facets.npz", allow_pickle=False) as arrays:
            self.ids = arrays["ids"]
            self.day = arrays["day"]
            self.by_date = arrays["by_date"]  # row positions, newest first, then highest id
            self.columns = {
                name: Column(
                    [str(v) for v in arrays[f"{name}.values"]],
                    arrays[f"{name}.codes"],
                    arrays.get(f"{name}.starts"),
                )
                for name in (*COUNTED, "issue")
            }

    def answer(
        self, terms: list[Term], filters: dict[str, str], head: int
    ) -> tuple[dict[str, list[tuple[str, int]]], int, list[int]]:
        """Facets, total and the first `head` ids of a search, from one reading of FTS5."""
        positions, order = self._matching(terms, filters)
        facets = facet_lists({name: self.columns[name].counts(positions) for name in COUNTED})
        return facets, len(positions), self.ids[order[:head]].tolist()

    def ranked(
        self, terms: list[Term], filters: dict[str, str], start: int, stop: int
    ) -> list[int]:
        _positions, order = self._matching(terms, filters)
        return self.ids[order[start:stop]].tolist()  # type: ignore[no-any-return]

    def _matching(
        self, terms: list[Term], filters: dict[str, str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Row positions matching the search, and the same in ranking order: best BM25 first
        (as SQLite's search ranks), then the newest, then the highest id."""
        allowed = self._filtered(filters)
        if not terms:
            order = self.by_date if allowed is None else self.by_date[allowed[self.by_date]]
            return order, order
        with closing(self._text()) as db:
            found = db.execute(
                "SELECT rowid, bm25(f) FROM f WHERE f MATCH ?", [fts5_query(terms)]
            ).fetchall()
        ids = np.fromiter((r[0] for r in found), dtype=np.int64, count=len(found))
        score = np.fromiter((r[1] for r in found), dtype=np.float64, count=len(found))
        positions = np.searchsorted(self.ids, ids)
        if allowed is not None:
            keep = allowed[positions]
            positions, score = positions[keep], score[keep]
        order = positions[np.lexsort((-self.ids[positions], -self.day[positions], score))]
        return positions, order

    def _filtered(self, filters: dict[str, str]) -> np.ndarray | None:
        """Rows passing the filters, as `selectors._filtered` chooses them; None: every row."""
        wanted = []
        if filters.get("country"):
            wanted.append(("country", filters["country"]))
        year = parse_whole_number(filters.get("year"), minimum=1000, maximum=9999)
        if year is not None:
            wanted.append(("year", str(year)))
        if filters.get("verdict"):
            wanted.append(("verdict", filters["verdict"]))
        if filters.get("conflict") in {"yes", "no"}:
            wanted.append(("conflict", filters["conflict"]))
        for name, column in CODE_FILTERS.items():
            code = filters.get(name, "")
            if code and ";" not in code:
                wanted.append((column, code))
        if not wanted:
            return None
        allowed = np.ones(len(self.ids), dtype=bool)
        for column, value in wanted:
            allowed &= self.columns[column].having(value, len(self.ids))
        return allowed

    def _text(self) -> sqlite3.Connection:
        """A read-only connection of this thread to the FTS5 file (opening one costs less
        than a millisecond; a shared one could not be used by two threads at once)."""
        # immutable: the file never changes once built, so no lock is taken (a shared folder)
        return sqlite3.connect(
            f"{(self.folder / 'text.sqlite').as_uri()}?mode=ro&immutable=1", uri=True
        )


_loaded: dict[str, Index] = {}
_loading = threading.Lock()


FORMAT = 2  # raised when the files change shape: an older folder is never read as this one


def _folder(version: str) -> Path:
    digest = hashlib.sha256(f"{FORMAT}|{version}".encode()).hexdigest()[:32]
    return Path(settings.CTIP_SEARCH_INDEX_DIR) / digest


def current(version: str) -> Index | None:
    """The index built for `version`, loaded once per process; None when there is none yet,
    or when its files cannot be read (the database then counts, and the worker rebuilds)."""
    folder = _folder(version)
    with _loading:
        if (found := _loaded.get(str(folder))) is not None:
            return found
        if not (folder / "facets.npz").exists():
            return None
        try:
            found = Index(folder)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
            log.warning(
                "search index %s unreadable, searches counted by the database: %s", folder, error
            )
            return None
        _loaded.clear()  # one version per process: the older ones are never asked for again
        _loaded[str(folder)] = found
        return found


def build(version: str, published: QuerySet[Any]) -> bool:
    """Write the index of `published` (read after `version` was, so never older than it)
    under `version`'s folder. False when it was there already."""
    final = _folder(version)
    if final.exists():
        return False
    final.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=final.parent))
    try:
        _write(building, published)
        building.chmod(0o755)  # readable by web servers running as another user
        building.rename(final)
    except OSError:
        if final.exists():  # another job built it meanwhile
            return False
        raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return True


def remove_all_but(version: str) -> None:
    """Remove the indexes of other versions, and builds abandoned over an hour ago (a job
    killed): called only while `version` is current, so never a newer index. A process
    still reading a removed one keeps its open files (POSIX)."""
    keep = _folder(version)
    for other in keep.parent.iterdir():
        started = other.name.startswith(".building-")
        ours = started or (len(other.name) == 32 and set(other.name) <= set("0123456789abcdef"))
        if not ours or other == keep:  # never anything else the folder may hold
            continue
        if not started or time.time() - other.stat().st_mtime > 3600:
            shutil.rmtree(other, ignore_errors=True)


class _Codes:
    """A column being built: values numbered as they come, a row at a time."""

    def __init__(self, multiple: bool) -> None:
        self.numbers: dict[str, int] = {}
        self.codes = array("i")
        self.starts: array[int] | None = array("q") if multiple else None

    def add(self, values: list[str]) -> None:
        if self.starts is not None:
            self.starts.append(len(self.codes))
        for value in values:
            self.codes.append(self.numbers.setdefault(value, len(self.numbers)))

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        found = {
            f"{name}.values": np.array(list(self.numbers) or [""], dtype=str),
            # the smallest type that numbers the values: a byte for most columns
            f"{name}.codes": np.frombuffer(self.codes, dtype=np.int32).astype(
                np.min_scalar_type(max(len(self.numbers) - 1, 0))
            ),
        }
        if self.starts is not None:
            starts = np.append(np.frombuffer(self.starts, dtype=np.int64), len(self.codes))
            found[f"{name}.starts"] = starts.astype(np.min_scalar_type(len(self.codes)))
        return found


def _write(folder: Path, published: QuerySet[Any]) -> None:
    columns = {
        name: _Codes(multiple=name in {*CODE_FILTERS, "keyword"}) for name in (*COUNTED, "issue")
    }
    ids, days = array("q"), array("i")
    fields = ["pk", "decision_date", "conflict_related", "keywords", "search_text"]
    rows = published.order_by("pk").values_list(*fields, *SOURCE_COLUMNS.values())
    text = sqlite3.connect(folder / "text.sqlite")
    text.execute("PRAGMA journal_mode = OFF")
    text.execute("PRAGMA synchronous = OFF")
    # contentless: the index of the words only; the database holds the text
    text.execute(f"CREATE VIRTUAL TABLE f USING fts5(search_text, content='', tokenize={TOKENIZE})")

    def each_text():  # type: ignore[no-untyped-def]
        for pk, day, conflict, keywords, search_text, *sources in rows.iterator(2000):
            ids.append(pk)
            days.append(day.toordinal())
            columns["year"].add([str(day.year)])
            columns["conflict"].add(["yes" if conflict else "no"])
            columns["keyword"].add([str(k) for k in keywords or [] if str(k)])
            for name, value in zip(SOURCE_COLUMNS, sources, strict=True):
                columns[name].add(split_codes(value) if name in CODE_FILTERS else [value or ""])
            yield pk, search_text

    with closing(text):
        text.executemany("INSERT INTO f (rowid, search_text) VALUES (?, ?)", each_text())
        text.execute("INSERT INTO f (f) VALUES ('optimize')")
        text.commit()
    day = np.frombuffer(days, dtype=np.int32)
    id_array = np.frombuffer(ids, dtype=np.int64)
    arrays: dict[str, np.ndarray] = {
        "ids": id_array,
        "day": day,
        "by_date": np.lexsort((-id_array, -day)).astype(np.int32),
    }
    for name, codes in columns.items():
        arrays |= codes.arrays(name)
    np.savez(folder / "facets.npz", **arrays)  # type: ignore[arg-type]
