"""Reading court decisions: who may see which, search with facets, the digest."""

from __future__ import annotations

import collections
import hashlib
import json
import logging
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import BaseCache, caches
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import CharField, Count, Max, Q, QuerySet
from django.db.models.functions import Cast, ExtractYear, Substr

from ctip.caselaw import policies, search, search_index
from ctip.caselaw.codes import EvidentialIssue
from ctip.caselaw.models import Decision, SearchStamp, split_codes
from ctip.caselaw.text import Term, query_terms
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.values import parse_whole_number

log = logging.getLogger(__name__)

PAGE_SIZE = 20
FACETS_KEPT_SECONDS = 3600
KEPT_HEAD = 10 * PAGE_SIZE  # a kept search's first pages, ranked at once
RECENT_KEY = "caselaw:recent-searches"
RECENT_SEARCHES = 50  # counted again by the worker when decisions change
RECENT_KEPT_SECONDS = 24 * 3600
FACETS = ("country", "year", "form", "conflict", "verdict", "victims", "defendants", "keyword")


def kept() -> BaseCache:
    """Where the public's searches are kept: shared by the web processes and the worker."""
    return caches["searches"]


def visible_decisions(user: User | None) -> QuerySet[Decision]:
    """Published decisions for everyone; drafts too for their entity's legal officers."""
    return policies.scope_decisions(user)


def decision_get(*, user: User | None, pk: int) -> Decision:
    """A decision the user may read; a missing one and a hidden draft are the same 404."""
    found = (
        visible_decisions(user)
        .select_related("country", "conflict_situation", "entity")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise not_found()
    return found


def own_decisions(*, user: User) -> QuerySet[Decision]:
    """The decisions a legal officer's desk lists: their entity's (all for administrators)."""
    return policies.scope_own_decisions(user)


def own_decision_get(*, user: User, pk: int) -> Decision:
    """A decision the user may edit; any other is the same 404."""
    found = (
        own_decisions(user=user)
        .select_related("country", "conflict_situation", "entity")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise not_found()
    return found


def published_in_order(ids: list[int]) -> list[Decision]:
    """Published decisions by id, in the order given (a public export of search results)."""
    found = visible_decisions(None).select_related("conflict_situation").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@dataclass
class SearchResult:
    query: str
    terms: list[Term]
    total: int
    page: Page
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    approximate: bool = False


def _filtered(decisions: QuerySet[Decision], filters: dict[str, str]) -> QuerySet[Decision]:
    if filters.get("country"):
        decisions = decisions.filter(country_id=filters["country"])
    year = parse_whole_number(filters.get("year"), minimum=1000, maximum=9999)
    if year is not None:
        decisions = decisions.filter(decision_date__year=year)
    if filters.get("verdict"):
        decisions = decisions.filter(verdict=filters["verdict"])
    if filters.get("conflict") in {"yes", "no"}:
        decisions = decisions.filter(conflict_related=filters["conflict"] == "yes")
    for name, column in (
        ("form", "forms_of_exploitation"),
        ("victims", "victim_nationalities"),
        ("defendants", "defendant_nationalities"),
        ("issue", "evidential_issues"),
    ):
        code = filters.get(name, "")
        if code and ";" not in code:
            decisions = decisions.filter(
                Q(**{column: code})
                | Q(**{f"{column}__startswith": f"{code};"})
                | Q(**{f"{column}__endswith": f";{code}"})
                | Q(**{f"{column}__contains": f";{code};"})
            )
    if filters.get("keyword"):
        decisions = decisions.filter(keywords__icontains=filters["keyword"])
    return decisions


def _facets(decisions: QuerySet[Decision]) -> tuple[dict[str, list[tuple[str, int]]], int]:
    """Facet counts over every decision of `decisions`, and how many there are: one grouped
    query for the columns (the database counts; Python only adds up the groups and splits
    the multi-code columns) and one for the keywords."""
    counters: dict[str, collections.Counter[str]] = {
        name: collections.Counter() for name in search_index.COUNTED
    }
    groups = (
        decisions.order_by()
        .annotate(year=_year())
        .values_list(
            "country_id",
            "year",
            "verdict",
            "conflict_related",
            "forms_of_exploitation",
            "victim_nationalities",
            "defendant_nationalities",
        )
        .annotate(n=Count("pk"))
    )
    total = 0
    for country, year, verdict, conflict, forms, victims, defendants, n in groups:
        total += n
        counters["country"][country or ""] += n
        counters["year"][year or ""] += n
        counters["verdict"][verdict or ""] += n
        counters["conflict"]["yes" if conflict else "no"] += n
        for name, joined in (("form", forms), ("victims", victims), ("defendants", defendants)):
            for code in split_codes(joined):
                counters[name][code] += n
    counters["keyword"] = search.keyword_counts(decisions)
    return search_index.facet_lists(counters), total


def _year() -> Any:
    """A decision's year: the date's first four characters on SQLite, where the year
    function is Python called per row; the year itself on PostgreSQL, whose date as text
    follows the session's DateStyle."""
    if connection.vendor == "sqlite":
        return Substr(Cast("decision_date", CharField()), 1, 4)
    return Cast(ExtractYear("decision_date"), CharField())


@dataclass
class _Search:
    """A search: its terms, the filters given, the decisions it looks among, where the public's
    is kept (empty for a signed-in search) and the public search index that answers it."""

    terms: list[Term]
    filters: dict[str, str]
    decisions: QuerySet[Decision]
    cache_key: str = ""
    index: search_index.Index | None = None


class _RankedIds:
    """The ids of a search's decisions, best first, fetched a page at a time: the index or
    the database orders and cuts, so a page costs the same at a hundred matches or a hundred
    thousand."""

    def __init__(self, found: _Search, close: dict[int, float], total: int) -> None:
        self.found, self.close, self.total = found, close, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[int]:
        if not (cache_key := self.found.cache_key):
            return self._ranked(window)
        if (window.stop or 0) <= KEPT_HEAD:
            # ranking a head costs what ranking one page does (every match is scored), so
            # the first pages are ranked together once and read from the kept head
            head_key = f"{cache_key}:head"
            if (head := kept().get(head_key)) is None:
                head = self._ranked(slice(0, KEPT_HEAD))
                kept().set(head_key, head, FACETS_KEPT_SECONDS)
            return head[window]  # type: ignore[no-any-return]
        page_key = f"{cache_key}:{window.start}:{window.stop}"
        if (page := kept().get(page_key)) is None:
            page = self._ranked(window)
            kept().set(page_key, page, FACETS_KEPT_SECONDS)
        return page  # type: ignore[no-any-return]

    def _ranked(self, window: slice) -> list[int]:
        found, start, stop = self.found, window.start or 0, window.stop or 0
        if self.close:  # at most a thousand, found by close spelling
            rows = found.decisions.filter(pk__in=list(self.close)).values_list(
                "pk", "decision_date"
            )
            ordered = sorted(rows, key=lambda r: (self.close[r[0]], r[1], r[0]), reverse=True)
            return [pk for pk, _day in ordered][window]
        if found.index is not None:
            return found.index.ranked(found.terms, found.filters, start, stop)
        if not found.terms:
            return list(
                found.decisions.order_by("-decision_date", "-pk").values_list("pk", flat=True)[
                    start:stop
                ]
            )
        return search.ranked_page(found.decisions, found.terms, start, stop)


def ranked_ids(
    *, user: User | None, query: str = "", filters: dict[str, str] | None = None
) -> list[int]:
    """Every id of a search, in its pages' order (an export of the results): the same
    matches, close spellings and ranking as `decision_search`."""
    found = _search_of(user, query_terms(query), filters)
    _facets, total, close = _counted(found)
    found.cache_key = ""  # every id at once, not kept
    return _RankedIds(found, close, total)[0:total]


def _search_of(user: User | None, terms: list[Term], filters: dict[str, str] | None) -> _Search:
    """A search's terms, its filters that were given, the decisions it looks among, and for
    the public, where it is kept and the index of the current version if built."""
    given = {k: v for k, v in (filters or {}).items() if v}
    found = _Search(terms, given, _filtered(visible_decisions(user), given))
    if user is None:
        version = published_version()
        key = json.dumps([[t.tokens, t.prefix] for t in terms] + [sorted(given.items())])
        digest = hashlib.sha256(f"{version}|{key}".encode()).hexdigest()
        found.cache_key = f"caselaw:search:{digest}"
        found.index = search_index.current(version) if search_index.answers(given) else None
    return found


def published_version() -> str:
    """The search stamp, raised in every transaction that writes decisions, with three lone
    maxima read from indexes (the largest id, the latest edit and publication) for a
    write made outside the services (a bulk load). A public search is kept, and the index
    read, per version: a changed decision is never answered from before."""
    decisions = Decision.objects.order_by()
    stamp = SearchStamp.objects.filter(pk=1).values_list("version", flat=True).first()
    maxima = [decisions.aggregate(m=Max(c))["m"] for c in ("pk", "updated_at", "published_at")]
    return "|".join(str(v) for v in (stamp, *maxima))


def _counted(found: _Search) -> tuple[dict[str, list[tuple[str, int]]], int, dict[int, float]]:
    """Facets, total and close-spelling ranks of a search, kept under its key: from the index
    when it answers the search (with the first pages, ranked at once), else counted by the
    database."""
    if found.cache_key and (kept_before := kept().get(found.cache_key)) is not None:
        return kept_before  # type: ignore[no-any-return]
    terms, decisions = found.terms, found.decisions
    if found.index is not None:
        try:
            facets, total, head = found.index.answer(terms, found.filters, KEPT_HEAD)
        except sqlite3.Error:  # its text file lost or damaged: the database counts
            log.exception("the public search index could not be read")
            found.index = None
        else:
            if found.cache_key and total:
                kept().set(f"{found.cache_key}:head", head, FACETS_KEPT_SECONDS)
    if found.index is None:
        matched = search.matching(decisions, terms) if terms else decisions
        facets, total = _facets(matched)
    close: dict[int, float] = {}
    if terms and not total:  # words spelled alike, among what this reader may see
        close = search.close_spellings(terms, among=decisions)
        if close:
            found.index = None  # ranked by likeness of spelling, not by the index
            facets, total = _facets(decisions.filter(pk__in=list(close)))
    if found.cache_key:
        kept().set(found.cache_key, (facets, total, close), FACETS_KEPT_SECONDS)
    return facets, total, close


def decision_search(
    *, user: User | None, query: str = "", filters: dict[str, str] | None = None, page: int = 1
) -> SearchResult:
    """One page of matching decisions, best first, with facet counts over all of them. When
    nothing matches exactly, PostgreSQL offers decisions with words spelled alike."""
    found = _search_of(user, query_terms(query), filters)
    if found.cache_key:
        _remember(found.terms, found.filters)
    facets, total, close = _counted(found)
    ranked = _RankedIds(found, close, total)
    paginator: Paginator[int] = Paginator(ranked, PAGE_SIZE)  # type: ignore[arg-type]
    page_obj = paginator.get_page(page)
    chosen = list(page_obj.object_list)
    # by primary key, unordered: the listing order would make the database walk its index
    found_now = visible_decisions(user).select_related("country").order_by().in_bulk(chosen)
    page_obj.object_list = [found_now[pk] for pk in chosen if pk in found_now]  # type: ignore[misc]
    return SearchResult(query, found.terms, total, page_obj, facets, approximate=bool(close))


def _remember(terms: list[Term], filters: dict[str, str]) -> None:
    """Note a public search, most recent first, so that the worker counts it again when
    decisions change (`keep_recent_searches`). Kept with the searches, not in the database's
    tables: the words of searches over published decisions, and never a signed-in search."""
    search_of = (tuple(terms), tuple(sorted(filters.items())))
    recent = kept().get(RECENT_KEY, [])
    if recent[:1] != [search_of]:
        recent = [search_of, *(s for s in recent if s != search_of)][:RECENT_SEARCHES]
        kept().set(RECENT_KEY, recent, RECENT_KEPT_SECONDS)


def keep_recent_searches() -> int:
    """Build the public search index for the decisions as they are now, then count and rank
    again the public searches made lately and the search with no words, so that their next
    visitor is answered from what is kept. Returns how many had to be counted. Jobs queued by
    a burst of changes coalesce: each works for the version current when it runs, so the
    later ones find the index built and their searches kept."""
    version = published_version()
    try:
        search_index.build(version, visible_decisions(None))
        if published_version() == version:
            search_index.remove_all_but(version)
    except OSError:  # a full disk: the database counts the searches, which are still kept
        log.exception("the public search index could not be built")
    counted = 0
    for terms, filters in [((), ()), *kept().get(RECENT_KEY, [])]:
        found = _search_of(None, list(terms), dict(filters))
        if kept().get(found.cache_key) is not None:
            continue
        _facets, total, close = _counted(found)
        _RankedIds(found, close, total)[0:PAGE_SIZE]
        counted += 1
    return counted


def digest() -> list[tuple[str, Any, list[Decision]]]:
    """Published decisions by evidential issue, newest first (para 40's digest)."""
    by_issue: dict[str, list[Decision]] = {code: [] for code in EvidentialIssue.values}
    for decision in visible_decisions(None).select_related("country").exclude(evidential_issues=""):
        for code in decision.issues:
            if code in by_issue:
                by_issue[code].append(decision)
    return [(code, EvidentialIssue(code).label, by_issue[code]) for code in EvidentialIssue.values]


def headline() -> dict[str, Any]:
    """“N decisions from M jurisdictions as of DATE”, from the published decisions."""
    published = visible_decisions(None)
    jurisdictions = published.values("country_id", "international_body").distinct().count()
    latest = published.order_by("-published_at").values_list("published_at", flat=True).first()
    return {"decisions": published.count(), "jurisdictions": jurisdictions, "as_of": latest}
