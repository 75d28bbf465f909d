"""Reading treaty status, national response and country profiles: all public by nature."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet

from ctip.caselaw.codes import DecisionStatus
from ctip.caselaw.models import Decision
from ctip.core.models import ConflictSituation, Country, User
from ctip.core.policies import not_found
from ctip.countries import policies
from ctip.countries.codes import INSTRUMENTS, INSTRUMENTS_BY_CODE, Criminalization, Instrument
from ctip.countries.models import NationalResponse, TreatyStatus
from ctip.statistics.codes import Indicator
from ctip.statistics.disclosure import Shown, decided_at_most
from ctip.statistics.selectors import published_totals

DATA_DIR = Path(__file__).parent / "data"
FEW_CONVICTIONS = 10


@cache
def un_states() -> frozenset[str]:
    """The 193 UN Member States and the two observer States, as ISO alpha-3 codes."""
    with open(DATA_DIR / "un_states.csv", encoding="utf-8") as handle:
        return frozenset(row["alpha3"] for row in csv.DictReader(handle))


def instrument_get(code: str) -> Instrument:
    found = INSTRUMENTS_BY_CODE.get(code)
    if found is None:
        raise not_found()
    return found


def parties(instrument: str, as_of: datetime.date) -> QuerySet[TreatyStatus]:
    """Participants bound by the instrument on the date: consent given by then and not
    denounced by then."""
    return (
        TreatyStatus.objects.filter(instrument=instrument, consent_date__lte=as_of)
        .filter(Q(denunciation__isnull=True) | Q(denunciation__gt=as_of))
        .select_related("country")
    )


def non_parties(instrument: str, as_of: datetime.date) -> list[tuple[Country, TreatyStatus | None]]:
    """UN Member and observer States not bound on the date, with their signature if any:
    the list para 63 (a) asks the Council to call on."""
    bound = set(parties(instrument, as_of).values_list("country_id", flat=True))
    statuses = {
        s.country_id: s
        for s in TreatyStatus.objects.filter(instrument=instrument, country__isnull=False)
    }
    return [
        (country, statuses.get(country.alpha3))
        for country in Country.objects.filter(alpha3__in=un_states() - bound)
    ]


@dataclass(frozen=True)
class InstrumentSummary:
    instrument: Instrument
    parties: int
    signatories: int  # signed but not bound
    recorded: bool  # whether any status was imported


def instrument_summaries(as_of: datetime.date) -> list[InstrumentSummary]:
    counts = {
        row["instrument"]: row
        for row in TreatyStatus.objects.values("instrument").annotate(
            bound=Count(
                "pk",
                filter=Q(consent_date__lte=as_of)
                & (Q(denunciation__isnull=True) | Q(denunciation__gt=as_of)),
            ),
            signed=Count(
                "pk",
                filter=Q(signature__lte=as_of)
                & (Q(consent_date__isnull=True) | Q(consent_date__gt=as_of)),
            ),
        )
    }
    return [
        InstrumentSummary(
            i,
            counts.get(i.code, {}).get("bound", 0),
            counts.get(i.code, {}).get("signed", 0),
            i.code in counts,
        )
        for i in INSTRUMENTS
    ]


@dataclass(frozen=True)
class CountryTreaty:
    instrument: Instrument
    status: TreatyStatus | None
    bound: bool


def country_treaties(country: Country, as_of: datetime.date) -> list[CountryTreaty]:
    statuses = {s.instrument: s for s in TreatyStatus.objects.filter(country=country)}
    bound = set(
        TreatyStatus.objects.filter(country=country, consent_date__lte=as_of)
        .filter(Q(denunciation__isnull=True) | Q(denunciation__gt=as_of))
        .values_list("instrument", flat=True)
    )
    return [CountryTreaty(i, statuses.get(i.code), i.code in bound) for i in INSTRUMENTS]


def latest_responses(year: int) -> dict[str, NationalResponse]:
    """Each country's most recent entry in or before the year."""
    latest: dict[str, NationalResponse] = {}
    for response in NationalResponse.objects.filter(year__lte=year).order_by("country_id", "year"):
        latest[response.country_id] = response
    return latest


@dataclass(frozen=True)
class Share:
    code: str
    label: str
    count: int
    percent: float


def _shares(counts: dict[str, int], labels: dict[str, Any]) -> list[Share]:
    total = sum(counts.values())
    return [
        Share(
            code,
            labels[code],
            counts.get(code, 0),
            100 * counts.get(code, 0) / total if total else 0,
        )
        for code in labels
    ]


@dataclass(frozen=True)
class CrossCountryFigures:
    year: int
    criminalization: list[Share]
    criminalization_known: int
    convictions_reported: int  # countries with a published convictions cell
    convictions_known: int  # those whose cell tells whether they convicted 10 or fewer
    convictions_few: int  # 10 or fewer: a number, or “<k” with k at most 11
    convictions_none: int

    @property
    def convictions_unknown(self) -> int:
        return self.convictions_reported - self.convictions_known

    @property
    def few_percent(self) -> float:
        return 100 * self.convictions_few / self.convictions_known if self.convictions_known else 0

    @property
    def none_percent(self) -> float:
        return 100 * self.convictions_none / self.convictions_known if self.convictions_known else 0


def cross_country_figures(year: int) -> CrossCountryFigures:
    """The report's figures (para 21-24) for a year, computed from the recorded entries and
    the year's published statistics: the shares of countries with full / partial / no
    criminalization, and the countries with 10 or fewer convictions and with none.

    A hidden convictions cell counts only when what is published decides it: “<k” with k at
    most 11 is 10 or fewer; a larger k, or a cell hidden to protect another, is unknown."""
    counts: dict[str, int] = {}
    for response in latest_responses(year).values():
        if response.criminalization:
            counts[response.criminalization] = counts.get(response.criminalization, 0) + 1
    convictions = [
        cell.shown
        for _year, cell in published_totals(year=year)
        if cell.indicator == Indicator.CONVICTED and len(cell.area) == 3 and cell.area.isalpha()
    ]
    decided = decided_at_most(convictions, FEW_CONVICTIONS)
    return CrossCountryFigures(
        year=year,
        criminalization=_shares(counts, dict(Criminalization.choices)),
        criminalization_known=sum(counts.values()),
        convictions_reported=len(convictions),
        convictions_known=len(decided),
        convictions_few=sum(decided),
        convictions_none=sum(1 for shown in convictions if shown.value == 0),
    )


@dataclass(frozen=True)
class CountryProfile:
    country: Country
    as_of: datetime.date
    treaties: list[CountryTreaty]
    responses: list[NationalResponse]
    # year, detected, prosecuted, convicted (None when that year has no such cell)
    statistics: list[tuple[int, Shown | None, Shown | None, Shown | None]]
    decisions: int
    conflict_related_decisions: int
    conflicts: list[ConflictSituation]


def country_get(alpha3: str) -> Country:
    found = (
        Country.objects.filter(alpha3=alpha3.upper()).select_related("region", "subregion").first()
    )
    if found is None:
        raise not_found()
    return found


def country_profile(country: Country, as_of: datetime.date) -> CountryProfile:
    by_year: dict[int, dict[str, Shown]] = {}
    for year, cell in published_totals(area=country.alpha3):
        by_year.setdefault(year, {})[cell.indicator] = cell.shown
    shown = (Indicator.DETECTED_VICTIMS, Indicator.PROSECUTED, Indicator.CONVICTED)
    statistics = [
        (year, *(values.get(i) for i in shown))
        for year, values in sorted(by_year.items(), reverse=True)
    ]
    decisions = Decision.objects.filter(country=country, status=DecisionStatus.PUBLISHED)
    return CountryProfile(
        country=country,
        as_of=as_of,
        treaties=country_treaties(country, as_of),
        responses=list(NationalResponse.objects.filter(country=country).order_by("-year")),
        statistics=statistics,  # type: ignore[arg-type]
        decisions=decisions.count(),
        conflict_related_decisions=decisions.filter(conflict_related=True).count(),
        conflicts=list(ConflictSituation.objects.filter(countries=country).order_by("-start_date")),
    )


def treaty_statuses(instrument: str) -> QuerySet[TreatyStatus]:
    """An instrument's whole status table, as the depositary publishes it."""
    return TreatyStatus.objects.filter(instrument=instrument).select_related("country")


def all_responses() -> QuerySet[NationalResponse]:
    """Every national response entry: official information, public once recorded."""
    return NationalResponse.objects.order_by("country_id", "year")


def responses_for(*, user: User) -> QuerySet[NationalResponse]:
    """The entries the user may correct (the desk's list)."""
    return policies.scope_responses(user).order_by("country_id", "-year")


def response_get(*, user: User, pk: int) -> NationalResponse:
    """One entry the user may correct; another entity's, or none, is the same 404."""
    found = policies.scope_responses(user).filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found


def countries_with_data() -> QuerySet[Country]:
    """UN Member and observer States, and any other country with a national response entry."""
    return Country.objects.filter(
        Q(alpha3__in=un_states()) | Q(alpha3__in=NationalResponse.objects.values("country_id"))
    ).order_by("name")
