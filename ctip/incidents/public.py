"""The public figures of verified incidents, under one disclosure control: incidents and
victims per situation and year (`public_figures`), and verified abductions per party to
conflict (`public_abductions`). The public page, the public API and the annual report read
these two functions and nothing else.

Both tables come from one suppression (`_published`), so they agree with each other and
no count is the difference of published ones across them:

- in each situation-year the victims' five groups add up to its victims;
- the parties' abductions add up to the situation-year's abductions, and their victims to
  the abductions' victims;
- all verified incidents = the abductions + the other incidents, and the same for victims.
  The other incidents are never published, but published incidents less published
  abductions would be them, a count that may be small: they are cells of the run like any
  other (hidden when small, protected from being worked out), only never shown.

The run is `suppress_groups` as every public table of CTIP uses it, with the figures of
`public_figures` settled as they are without abductions: only abduction cells are hidden to
protect a cell. `suppress_groups` hides a cell of the group that narrowed a small one; a
count can also be narrowed through a chain of hidden cells (three parties' “<k” make a
total of at least 3; a hidden total bounded by published ones bounds the small cells under
it), so every result is checked by `_narrowed`: an outsider who knows only what is
published, the rules, and that the other incidents are at least 0. Where it finds a small
count narrowed that `public_figures` alone does not narrow, that situation-year is
published more coarsely, step by step (`_COARSER`): without its parties; then with its
abduction totals hidden; then with its incidents and victims hidden in both tables (only
then may `public_figures` show less than it would alone). Groups never span years, so a
year's rows are those of the table of all years.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from ctip.incidents import policies
from ctip.incidents.codes import Verification, Violation
from ctip.incidents.models import GROUPS, Incident, Party, split_codes
from ctip.statistics.disclosure import (
    Shown,
    Suppression,
    narrowed_small,
    shown,
    suppress_groups,
)

MEASURES = ("incidents", "victims")
ALL_PARTIES = ""  # the party of a situation-year's total row
OTHER_PARTIES = "other"  # the party of the pooled row: every perpetrator not named
ALL_PARTIES_LABEL = _("All parties")
OTHER_PARTIES_LABEL = _("Other or unidentified parties")
_ABDUCTION = "abduction"
_REST = "not abduction"  # never published: the situation-year's other incidents
_COARSER = 3  # without parties; abduction totals hidden; incidents and victims hidden

Key = tuple[str, int]  # (situation, year)
PartyKey = int | str  # a named party's id, or OTHER_PARTIES


@dataclass(frozen=True)
class PublicRow:
    situation: str
    year: int
    incidents: Shown
    victims: Shown
    groups: dict[str, Shown]


@dataclass(frozen=True)
class AbductionRow:
    """One row of the public abductions: a situation-year's total (`party` ""), a party
    the United Nations has named (`listed`, `party` its name), or every other perpetrator
    of the situation-year pooled (`party` "other", `listed` false)."""

    situation: str
    year: int
    party: str
    listed: bool
    incidents: Shown
    victims: Shown

    @property
    def is_total(self) -> bool:
        return not self.listed and self.party == ALL_PARTIES

    @property
    def is_pooled(self) -> bool:
        return not self.listed and self.party == OTHER_PARTIES

    @property
    def party_label(self) -> str:
        """The party as a page shows it, in the reader's language."""
        if self.listed:
            return self.party
        return str(ALL_PARTIES_LABEL if self.is_total else OTHER_PARTIES_LABEL)


def public_figures(
    incidents: QuerySet[Incident] | None = None, year: int | None = None
) -> tuple[list[PublicRow], int]:
    """Verified incidents and victims (by sex and age) per situation and year (or of one
    `year`), with CTIP's disclosure control: no count from 1 to k-1, none to be worked out
    by subtraction, from this table alone or with `public_abductions` (the module's
    docstring). Returns the rows, by situation and latest year first, and k."""
    found = _published(_of_year(incidents, year))

    def published(key: tuple) -> Shown:
        return shown(found.values[key], key, found.suppression, found.k)

    rows = [
        PublicRow(
            key[0],
            key[1],
            published((*key, "incidents")),
            published((*key, "victims")),
            {g: published((*key, g)) for g in GROUPS},
        )
        for key in sorted(found.keys, key=lambda key: (key[0], -key[1]))
    ]
    return rows, found.k


def public_abductions(year: int | None = None) -> tuple[list[AbductionRow], int]:
    """Verified abductions per situation, year (or of one `year`) and party to conflict,
    with k (`CTIP_INCIDENTS_PUBLIC_THRESHOLD`).

    Counted: verified incidents whose violations include an abduction (`incidents`), and
    all their victims (`victims`). Named: a party only for the years that
    `policies.publicly_named_parties` allows; every other perpetrator, an unlisted party or
    none recorded, is in the situation-year's pooled row (`OTHER_PARTIES`), never by name.

    Rows: per situation (by name) and year (latest first), the total row (`ALL_PARTIES`),
    whose incidents are a part of `public_figures`' incidents of the same situation-year;
    then the named parties by name; then the pool. A party with no verified abduction that
    year has no row. Where no breakdown by party can be published without letting a small
    count be worked out, the situation-year has its total row only. Cells are suppressed
    together with `public_figures` (the module's docstring)."""
    found = _published(_of_year(None, year))
    k, values, suppression = found.k, found.values, found.suppression
    ids = {p for parties in found.parties.values() for p in parties if isinstance(p, int)}
    names = dict(Party.objects.filter(pk__in=ids).values_list("pk", "name"))

    def row(key: Key, party: PartyKey) -> AbductionRow:
        cells = [_cell(key, party, measure) for measure in MEASURES]
        counted, victims = (shown(values[cell], cell, suppression, k) for cell in cells)
        if isinstance(party, int):
            return AbductionRow(key[0], key[1], names[party], True, counted, victims)
        return AbductionRow(key[0], key[1], party, False, counted, victims)

    rows = []
    for key in sorted(found.parties, key=lambda key: (key[0], -key[1])):
        shown_parties = [] if key in found.whole else list(found.parties[key])
        named = sorted((p for p in shown_parties if isinstance(p, int)), key=lambda p: names[p])
        pooled: list[PartyKey] = [OTHER_PARTIES] if OTHER_PARTIES in shown_parties else []
        rows += [row(key, party) for party in [ALL_PARTIES, *named, *pooled]]
    return rows, k


# --- the one suppression ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Published:
    k: int
    keys: list[Key]  # the situation-years with verified incidents
    values: dict[tuple, int]  # every cell of both tables, and the other incidents
    parties: dict[Key, dict[PartyKey, list[int]]]  # abductions: [incidents, victims]
    whole: frozenset[Key]  # situation-years published without their parties
    suppression: Suppression


def _of_year(incidents: QuerySet[Incident] | None, year: int | None) -> QuerySet[Incident]:
    incidents = Incident.objects.all() if incidents is None else incidents
    return incidents if year is None else incidents.filter(year=year)


def _cell(key: Key, party: PartyKey, measure: str) -> tuple:
    return (*key, _ABDUCTION, party, measure)


def _public_cells(incidents: QuerySet[Incident]) -> tuple[dict[tuple, int], list[list[tuple]]]:
    """The cells of `public_figures`, (situation, year, measure or victims' group) → count,
    and the groups they add up in."""
    grouped = (
        incidents.filter(status=Verification.VERIFIED)
        .order_by()
        .values("situation__name", "year")
        .annotate(n=Count("pk"), v=Sum("victims"), **{g: Sum(g) for g in GROUPS})
    )
    values: dict[tuple, int] = {}
    groups = []
    for row in grouped:
        key = (row["situation__name"], row["year"])
        values[(*key, "incidents")] = row["n"]
        values[(*key, "victims")] = row["v"] or 0
        for group in GROUPS:
            values[(*key, group)] = row[group] or 0
        groups.append([(*key, "victims"), *((*key, g) for g in GROUPS)])
    return values, groups


def _abductions(incidents: QuerySet[Incident]) -> dict[Key, dict[PartyKey, list[int]]]:
    """(situation, year) → named party's id or OTHER_PARTIES → [incidents, victims] of the
    verified incidents with an abduction among their violations."""
    grouped = (
        incidents.filter(status=Verification.VERIFIED)
        .order_by()
        .values("situation__name", "year", "party_id", "violations")
        .annotate(n=Count("pk"), v=Sum("victims"))
    )
    rows = [row for row in grouped if Violation.ABDUCTION in split_codes(row["violations"])]
    named = {year: policies.publicly_named_parties(year) for year in {r["year"] for r in rows}}
    found: dict[Key, dict[PartyKey, list[int]]] = defaultdict(dict)
    for row in rows:
        party = row["party_id"] if row["party_id"] in named[row["year"]] else OTHER_PARTIES
        cell = found[(row["situation__name"], row["year"])].setdefault(party, [0, 0])
        cell[0] += row["n"]
        cell[1] += row["v"] or 0
    return dict(found)


def _with_abductions(
    public: dict[tuple, int],
    groups: list[list[tuple]],
    parties: dict[Key, dict[PartyKey, list[int]]],
    whole: set[Key],
) -> tuple[dict[tuple, int], list[list[tuple]]]:
    """Both tables' cells and groups, the situation-years in `whole` without parties."""
    values, groups = dict(public), list(groups)
    for key, counts in parties.items():
        broken_down = [] if key in whole else list(counts)
        for index, measure in enumerate(MEASURES):
            total, rest = _cell(key, ALL_PARTIES, measure), _cell(key, _REST, measure)
            values[total] = sum(count[index] for count in counts.values())
            values[rest] = values[(*key, measure)] - values[total]
            groups.append([(*key, measure), total, rest])
            for party in broken_down:
                values[_cell(key, party, measure)] = counts[party][index]
            if broken_down:
                groups.append([total, *(_cell(key, p, measure) for p in broken_down)])
    return values, groups


def _published(incidents: QuerySet[Incident]) -> _Published:
    k = settings.CTIP_INCIDENTS_PUBLIC_THRESHOLD
    public, public_groups = _public_cells(incidents)
    parties = _abductions(incidents)
    values, whole, suppression = _suppress(public, public_groups, parties, k)
    keys = sorted({key[:2] for key in public})
    return _Published(k, keys, values, parties, frozenset(whole), suppression)


def _suppress(
    public: dict[tuple, int],
    public_groups: list[list[tuple]],
    parties: dict[Key, dict[PartyKey, list[int]]],
    k: int,
) -> tuple[dict[tuple, int], set[Key], Suppression]:
    """Both tables' cells, the situation-years published without parties, and the one
    suppression of them all (the module's docstring)."""
    alone = suppress_groups(public, public_groups, k)
    already = _narrowed(public, public_groups, alone, k)  # not the abductions' doing
    coarser: dict[Key, int] = defaultdict(int)
    also: set[tuple] = set(alone.hidden)
    while True:
        whole = {key for key, step in coarser.items() if step >= 1}
        values, groups = _with_abductions(public, public_groups, parties, whole)
        # the figures of `public_figures` stay as they are alone, but in the last step
        settled = frozenset(c for c in public if coarser[c[:2]] < _COARSER)
        suppression = suppress_groups(values, groups, k, also, settled)
        narrowed = {cell[:2] for cell in _narrowed(values, groups, suppression, k) - already}
        to_coarsen = {key for key in narrowed if coarser[key] < _COARSER}
        if not to_coarsen:
            return values, whole, suppression
        for key in to_coarsen:
            coarser[key] += 1
            if coarser[key] == 2:
                also |= {_cell(key, ALL_PARTIES, measure) for measure in MEASURES}
            if coarser[key] == 3:
                also |= {(*key, measure) for measure in MEASURES}


def _narrowed(
    values: dict[tuple, int], groups: list[list[tuple]], suppression: Suppression, k: int
) -> set[tuple]:
    """The small cells an outsider narrows further than “<k” allows, knowing that the other
    incidents (never published) are at least 0."""
    unknown = {key for key in values if len(key) == 5 and key[3] == _REST}
    return narrowed_small(values, groups, suppression, k, unknown)
