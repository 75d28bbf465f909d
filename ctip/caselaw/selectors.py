"""Reading court decisions: who may see which, search with facets, the digest."""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from ctip.caselaw import policies, search
from ctip.caselaw.codes import EvidentialIssue
from ctip.caselaw.models import Decision, split_codes
from ctip.caselaw.text import Term, query_terms
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.values import parse_whole_number

PAGE_SIZE = 20
FACETS = ("country", "year", "form", "conflict", "verdict", "victims", "defendants", "keyword")


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


def _facets(decisions: QuerySet[Decision]) -> dict[str, list[tuple[str, int]]]:
    def top(counter: collections.Counter[str], limit: int = 12) -> list[tuple[str, int]]:
        return [(k, n) for k, n in counter.most_common(limit) if k]

    facets: dict[str, list[tuple[str, int]]] = {}
    grouped = decisions.order_by()
    facets["country"] = top(
        collections.Counter(
            dict(
                grouped.values_list("country_id")
                .annotate(n=Count("pk"))
                .values_list("country_id", "n")
            )
        )
    )
    years = (
        grouped.annotate(y=ExtractYear("decision_date")).values_list("y").annotate(n=Count("pk"))
    )
    facets["year"] = sorted(((str(y), n) for y, n in years), reverse=True)[:15]
    facets["verdict"] = top(
        collections.Counter(dict(grouped.values_list("verdict").annotate(n=Count("pk"))))
    )
    conflict = dict(grouped.values_list("conflict_related").annotate(n=Count("pk")))
    facets["conflict"] = [
        (k, conflict[v]) for k, v in (("yes", True), ("no", False)) if conflict.get(v)
    ]
    counters: dict[str, collections.Counter[str]] = {
        name: collections.Counter() for name in ("form", "victims", "defendants", "keyword")
    }
    columns = ("forms_of_exploitation", "victim_nationalities", "defendant_nationalities")
    for forms, victims, defendants, n in grouped.values_list(*columns).annotate(n=Count("pk")):
        for name, joined in (("form", forms), ("victims", victims), ("defendants", defendants)):
            for code in split_codes(joined):
                counters[name][code] += n
    for (keywords,) in grouped.values_list("keywords")[:20_000]:
        counters["keyword"].update(keywords or [])
    for name, counter in counters.items():
        facets[name] = top(counter)
    return facets


@dataclass
class Ranked:
    ids: list[int]
    terms: list[Term]
    decisions: QuerySet[Decision]
    approximate: bool = False  # found by close spelling (PostgreSQL's pg_trgm), not exactly


def ranked_ids(
    *, user: User | None, query: str = "", filters: dict[str, str] | None = None
) -> Ranked:
    """Ids of the visible decisions matching every query word and filter, best first. When
    nothing matches exactly, PostgreSQL offers decisions with words spelled alike."""
    terms = query_terms(query)
    decisions = _filtered(visible_decisions(user), filters or {})
    if not terms:
        return Ranked(list(decisions.values_list("pk", flat=True)), terms, decisions)
    approximate = False
    ranks = search.ranks(terms)
    matched = decisions.filter(pk__in=search.matching_ids(terms))
    if not ranks:
        ranks = search.close_spellings(terms)
        approximate = bool(ranks)
        matched = decisions.filter(pk__in=list(ranks))
    ordered = sorted(
        matched.values_list("pk", "decision_date"),
        key=lambda row: (-ranks.get(row[0], 0.0), -row[1].toordinal()),
    )
    return Ranked([pk for pk, _date in ordered], terms, matched, approximate)


def decision_search(
    *, user: User | None, query: str = "", filters: dict[str, str] | None = None, page: int = 1
) -> SearchResult:
    """One page of matching decisions, with facet counts over all of them."""
    ranked = ranked_ids(user=user, query=query, filters=filters)
    paginator = Paginator(ranked.ids, PAGE_SIZE)
    page_obj = paginator.get_page(page)
    chosen = list(page_obj.object_list)
    found = visible_decisions(user).select_related("country").in_bulk(chosen)
    page_obj.object_list = [found[pk] for pk in chosen if pk in found]  # type: ignore[misc]
    return SearchResult(
        query,
        ranked.terms,
        paginator.count,
        page_obj,
        _facets(ranked.decisions),
        approximate=ranked.approximate,
    )


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
