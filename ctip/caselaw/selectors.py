"""Reading court decisions: who may see which, search with facets, the digest."""

from __future__ import annotations

import collections
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import BaseCache, caches
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import CharField, Count, Max, Q, QuerySet
from django.db.models.functions import Cast, ExtractYear, Substr

from ctip.caselaw import policies, search
from ctip.caselaw.codes import EvidentialIssue
from ctip.caselaw.models import Decision, SearchStamp, split_codes
from ctip.caselaw.text import Term, query_terms
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.values import parse_whole_number

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

    def top(counter: collections.Counter[str], limit: int = 12) -> list[tuple[str, int]]:
        return [(k, n) for k, n in counter.most_common(limit) if k]

    counted = [name for name in FACETS if name != "keyword"]  # keywords: the database's
    counters: dict[str, collections.Counter[str]] = {
        name: collections.Counter() for name in counted
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
    facets = {name: top(counters[name]) for name in counted if name not in {"year", "conflict"}}
    facets["year"] = sorted(((y, n) for y, n in counters["year"].items() if y), reverse=True)[:15]
    facets["conflict"] = [
        (k, counters["conflict"][k]) for k in ("yes", "no") if counters["conflict"][k]
    ]
    facets["keyword"] = search.keyword_counts(decisions, limit=12)
    return facets, total


def _year() -> Any:
    """A decision's year: the date's first four characters on SQLite, where the year
    function is Python called per row; the year itself on PostgreSQL, whose date as text
    follows the session's DateStyle."""
    if connection.vendor == "sqlite":
        return Substr(Cast("decision_date", CharField()), 1, 4)
    return Cast(ExtractYear("decision_date"), CharField())


class _RankedIds:
    """The ids of a search's decisions, best first, fetched a page at a time: the database
    orders and cuts, so a page costs the same at a hundred matches or a hundred thousand."""

    def __init__(
        self,
        decisions: QuerySet[Decision],
        terms: list[Term],
        close: dict[int, float],
        total: int,
        cache_key: str,
    ) -> None:
        self.decisions, self.terms, self.close, self.total = decisions, terms, close, total
        self.cache_key = cache_key

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[int]:
        if not self.cache_key:
            return self._ranked(window)
        if (window.stop or 0) <= KEPT_HEAD:
            # ranking a head costs what ranking one page does (every match is scored), so
            # the first pages are ranked together once and read from the kept head
            head_key = f"{self.cache_key}:head"
            if (head := kept().get(head_key)) is None:
                head = self._ranked(slice(0, KEPT_HEAD))
                kept().set(head_key, head, FACETS_KEPT_SECONDS)
            return head[window]  # type: ignore[no-any-return]
        page_key = f"{self.cache_key}:{window.start}:{window.stop}"
        if (page := kept().get(page_key)) is None:
            page = self._ranked(window)
            kept().set(page_key, page, FACETS_KEPT_SECONDS)
        return page  # type: ignore[no-any-return]

    def _ranked(self, window: slice) -> list[int]:
        if self.close:  # at most a thousand, found by close spelling
            rows = self.decisions.filter(pk__in=list(self.close)).values_list("pk", "decision_date")
            ordered = sorted(rows, key=lambda r: (self.close[r[0]], r[1], r[0]), reverse=True)
            return [pk for pk, _day in ordered][window]
        if not self.terms:
            return list(
                self.decisions.order_by("-decision_date", "-pk").values_list("pk", flat=True)[
                    window
                ]
            )
        return search.ranked_page(self.decisions, self.terms, window.start or 0, window.stop or 0)


def ranked_ids(
    *, user: User | None, query: str = "", filters: dict[str, str] | None = None
) -> list[int]:
    """Every id of a search, in its pages' order (an export of the results): the same
    matches, close spellings and ranking as `decision_search`."""
    terms, filters, decisions = _search_of(user, query, filters)
    _facets, total, close = _counted(terms, decisions, _kept_key(user, terms, filters))
    return _RankedIds(decisions, terms, close, total, cache_key="")[0:total]


def _search_of(
    user: User | None, query: str, filters: dict[str, str] | None
) -> tuple[list[Term], dict[str, str], QuerySet[Decision]]:
    """A search's terms, its filters that were given, and the decisions it looks among."""
    terms = query_terms(query)
    given = {k: v for k, v in (filters or {}).items() if v}
    return terms, given, _filtered(visible_decisions(user), given)


def published_version() -> str:
    """The search stamp, raised in every transaction that writes decisions, with three lone
    maxima read from indexes (the largest id, the latest edit and publication) for a
    write made outside the services (a bulk load)."""
    decisions = Decision.objects.order_by()
    stamp = SearchStamp.objects.filter(pk=1).values_list("version", flat=True).first()
    maxima = [decisions.aggregate(m=Max(c))["m"] for c in ("pk", "updated_at", "published_at")]
    return "|".join(str(v) for v in (stamp, *maxima))


def _kept_key(user: User | None, terms: list[Term], filters: dict[str, str]) -> str:
    """Where the public's search (published decisions only) is kept: per query, filters
    and published_version(), so a repeated search is not counted and ranked again and a
    changed decision is never answered from before. Signed-in searches are not kept."""
    if user is not None:
        return ""
    key = json.dumps([[t.tokens, t.prefix] for t in terms] + [sorted(filters.items())])
    digest = hashlib.sha256(f"{published_version()}|{key}".encode()).hexdigest()
    return f"caselaw:search:{digest}"


def _counted(
    terms: list[Term], decisions: QuerySet[Decision], cache_key: str
) -> tuple[dict[str, list[tuple[str, int]]], int, dict[int, float]]:
    """Facets, total and close-spelling ranks of a search, kept under `cache_key`."""
    if cache_key and (found := kept().get(cache_key)) is not None:
        return found  # type: ignore[no-any-return]
    matched = search.matching(decisions, terms) if terms else decisions
    facets, total = _facets(matched)
    close: dict[int, float] = {}
    if terms and not total:  # words spelled alike, among what this reader may see
        close = search.close_spellings(terms, among=decisions)
        if close:
            facets, total = _facets(decisions.filter(pk__in=list(close)))
    if cache_key:
        kept().set(cache_key, (facets, total, close), FACETS_KEPT_SECONDS)
    return facets, total, close


def decision_search(
    *, user: User | None, query: str = "", filters: dict[str, str] | None = None, page: int = 1
) -> SearchResult:
    """One page of matching decisions, best first, with facet counts over all of them. When
    nothing matches exactly, PostgreSQL offers decisions with words spelled alike."""
    terms, filters, decisions = _search_of(user, query, filters)
    cache_key = _kept_key(user, terms, filters)
    if cache_key:
        _remember(terms, filters)
    facets, total, close = _counted(terms, decisions, cache_key)
    ranked = _RankedIds(decisions, terms, close, total, cache_key)
    paginator: Paginator[int] = Paginator(ranked, PAGE_SIZE)  # type: ignore[arg-type]
    page_obj = paginator.get_page(page)
    chosen = list(page_obj.object_list)
    # by primary key, unordered: the listing order would make the database walk its index
    found = visible_decisions(user).select_related("country").order_by().in_bulk(chosen)
    page_obj.object_list = [found[pk] for pk in chosen if pk in found]  # type: ignore[misc]
    return SearchResult(query, terms, total, page_obj, facets, approximate=bool(close))


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
    """Count and rank again, for the decisions as they are now, the public searches made
    lately and the search with no words, so that their next visitor is answered from what is
    kept rather than waiting for the count (seconds at a million decisions). Returns how many
    had to be counted. Jobs queued by a burst of changes coalesce: each counts for the
    version current when it runs, so the later ones find their searches kept."""
    counted = 0
    for terms, filters in [((), ()), *kept().get(RECENT_KEY, [])]:
        given = dict(filters)
        decisions = _filtered(visible_decisions(None), given)
        cache_key = _kept_key(None, list(terms), given)
        if kept().get(cache_key) is not None:
            continue
        _facets, total, close = _counted(list(terms), decisions, cache_key)
        _RankedIds(decisions, list(terms), close, total, cache_key)[0:PAGE_SIZE]
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
