"""Lists that find things, the same way on every list page: a search box, filters, sorting,
pages, and an export of what is shown (every page of it, as a CSV).

A page declares its list once (a `ListSpec`); the app's selector gives the rows the user may
see, which stays the only door to protected models: this module only narrows, orders and
cuts what the selector returned. Searches run on columns stored in clear, never on
encrypted ones (there is nothing to find there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ctip.core.audit import AuditAction, audit_record
from ctip.core.exports import csv_bytes
from ctip.core.models import User

EXPORT_LIMIT = 50_000  # rows of one export from a page; larger ones go through a job


@dataclass(frozen=True)
class Filter:
    """A choice among values of one field (`lookup`, an ORM path): "" means all."""

    name: str
    label: str | Promise
    lookup: str
    choices: Callable[[], Iterable[tuple[str, str | Promise]]]


def codes(choices: Iterable[tuple[str, Any]]) -> Callable[[], list[tuple[str, str]]]:
    """A code list's choices for a filter, its labels in the reader's language."""
    return lambda: [(value, str(label)) for value, label in choices]


def years_back(count: int) -> Callable[[], list[tuple[str, str]]]:
    """This year and the `count - 1` before it, newest first."""

    def years() -> list[tuple[str, str]]:
        this_year = timezone.localdate().year
        return [(str(y), str(y)) for y in range(this_year, this_year - count, -1)]

    return years


@dataclass(frozen=True)
class Column:
    """A column of the export (and of the sort menu, when `sort` names an ORM field)."""

    label: str | Promise
    value: Callable[[Any], object]
    sort: str = ""


@dataclass(frozen=True)
class ListSpec:
    name: str  # the export's file name and the audit's word for the list
    columns: list[Column]
    filters: list[Filter] = field(default_factory=list)
    search: tuple[str, ...] = ()  # ORM paths of clear-text fields, searched with icontains
    search_hint: str | Promise = ""  # what the search box looks at, said to the user
    default_sort: str = ""  # a column's `sort`, with "-" for descending
    per_page: int = 25


@dataclass
class ListPage:
    """One page of a list, with what the controls and links need."""

    spec: ListSpec
    rows: QuerySet[Any]  # every row matching the search and filters, sorted
    page: Page
    search: str
    chosen: dict[str, str]
    sort: str
    query: str  # the request's query without its page, for the pager's links
    filters: list[dict[str, Any]]
    sorts: list[tuple[str, str]]
    wants_export: bool


def list_page(request: HttpRequest, rows: QuerySet[Any], spec: ListSpec) -> ListPage:
    """Narrow `rows` (what the selector let the user see) by the request's search, filters and
    sort, and cut out the requested page. Unknown values are ignored, never an error."""
    params = request.GET
    search = params.get("q", "").strip()[:100]
    if search and spec.search:
        matches = Q()
        for path in spec.search:
            matches |= Q(**{f"{path}__icontains": search})
        rows = rows.filter(matches)
    chosen: dict[str, str] = {}
    filters = []
    for spec_filter in spec.filters:
        choices = [(str(value), str(label)) for value, label in spec_filter.choices()]
        value = params.get(spec_filter.name, "")
        if value and value in {v for v, _label in choices}:
            chosen[spec_filter.name] = value
            rows = rows.filter(**{spec_filter.lookup: value})
        filters.append(
            {"filter": spec_filter, "choices": choices, "value": chosen.get(spec_filter.name, "")}
        )
    sorts = [(c.sort, str(c.label)) for c in spec.columns if c.sort]
    sorts += [(f"-{c.sort}", f"{c.label} ↓") for c in spec.columns if c.sort]
    sort = params.get("sort", "")
    if sort not in {value for value, _label in sorts}:
        sort = spec.default_sort
    if sort:
        rows = rows.order_by(sort, "pk")
    query = _without(params, "page")
    return ListPage(
        spec=spec,
        rows=rows,
        page=Paginator(rows, spec.per_page).get_page(params.get("page")),
        search=search,
        chosen=chosen,
        sort=sort,
        query=query.urlencode(),
        filters=filters,
        sorts=sorts,
        wants_export=params.get("export") == "csv",
    )


def _without(params: QueryDict, *names: str) -> QueryDict:
    query = params.copy()
    for name in names:
        query.pop(name, None)
    return query


def export_if_asked(
    request: HttpRequest, actor: User, listing: ListPage, target: Model | None = None
) -> HttpResponse | None:
    """The export of what the list shows, when the request asks for it (`export=csv`);
    `target` is what the list belongs to (a submission's records), named in the audit."""
    if not listing.wants_export:
        return None
    count = listing.rows.count()
    if count > EXPORT_LIMIT:
        messages.error(
            request,
            _("The list has %(n)s rows: narrow it to at most %(limit)s to export it.")
            % {"n": f"{count:,}", "limit": f"{EXPORT_LIMIT:,}"},
        )
        return redirect(f"{request.path}?{_without(request.GET, 'export', 'page').urlencode()}")
    return list_export(actor=actor, listing=listing, count=count, target=target)


@transaction.atomic
def list_export(
    *, actor: User, listing: ListPage, count: int, target: Model | None = None
) -> HttpResponse:
    """What the list shows, every page of it, as a CSV; audited with the filters. The search
    text is not kept (a person may have typed a name into it), only that there was one."""
    data = csv_bytes(
        [str(c.label) for c in listing.spec.columns],
        ([c.value(row) for c in listing.spec.columns] for row in listing.rows.iterator()),
    )
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=target,
        details={
            "list": listing.spec.name,
            "rows": count,
            "searched": bool(listing.search),
            "filters": listing.chosen,
        },
    )
    name = f"ctip-{listing.spec.name}-{timezone.now():%Y%m%d}.csv"
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
