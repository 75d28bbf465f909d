"""Each section's figures, tables and charts for a year, from the apps' public functions.

Run under `translation.override(language)`: labels, numbers and sources come out in the
report's language. Every function here reads only what the public pages and the public API
already publish, under the same disclosure control, so the report cannot say more than
CTIP's public side does.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ctip.reports.codes import Section
from ctip.reports.figures import Figure, SectionFigures, Table, count, money, percent, total
from ctip.reports.release import Release, flows, release_source, victims
from ctip.statistics.disclosure import Shown

if TYPE_CHECKING:
    from ctip.surveys.models import Release as SurveyRelease


def conflict(year: int, release: Release) -> SectionFigures:
    from ctip.incidents.patterns import public_figures

    found = SectionFigures(Section.CONFLICT)
    rows, k = public_figures(year=year)
    source = _(
        "CTIP public incidents page: verified incidents of %(year)s, cells below %(k)s hidden"
    ) % {
        "year": year,
        "k": k,
    }
    found.figures = {
        "incidents_verified": total((r.incidents for r in rows), source),
        "incident_victims": total((r.victims for r in rows), source),
        "situations_with_incidents": count(len(rows), source),
    }
    if not rows:
        found.empty = _("No incident was verified in %(year)s.") % {"year": year}
        return found
    groups = ("girls", "boys", "women", "men", "unknown_sex")
    found.tables.append(
        Table(
            _("Verified incidents of trafficking in armed conflict, by situation"),
            [
                _("Situation"),
                _("Verified incidents"),
                _("Victims"),
                _("Girls"),
                _("Boys"),
                _("Women"),
                _("Men"),
                _("Sex unknown"),
            ],
            [
                [
                    r.situation,
                    count(r.incidents, source),
                    count(r.victims, source),
                    *(count(r.groups[g], source) for g in groups),
                ]
                for r in rows
            ],
            source,
        )
    )
    abductions = abductions_table(year, found)
    if abductions.rows:
        found.tables.append(abductions)
    return found


def abductions_table(year: int, found: SectionFigures) -> Table:
    """Verified abductions by party: parties named only when the Secretary-General's
    reports have listed them (ctip.incidents.policies), every other perpetrator pooled."""
    from ctip.incidents.public import public_abductions

    rows, k = public_abductions(year=year)
    source = _(
        "CTIP public incidents page: verified abductions of %(year)s by party; parties named "
        "when listed in an annex of the Secretary-General's reports; cells below %(k)s hidden"
    ) % {"year": year, "k": k}
    totals = [r for r in rows if r.is_total]
    found.figures["abductions_verified"] = total((r.incidents for r in totals), source)
    found.figures["abduction_victims"] = total((r.victims for r in totals), source)
    found.figures["parties_named"] = count(len({r.party for r in rows if r.listed}), source)
    return Table(
        _("Verified abductions by party to conflict"),
        [_("Situation"), _("Party to conflict"), _("Verified incidents"), _("Victims")],
        [
            [r.situation, r.party_label, count(r.incidents, source), count(r.victims, source)]
            for r in rows
        ],
        source,
    )


def flow_monitoring(year: int, release: Release) -> SectionFigures:
    from ctip.surveys.selectors import releases_public

    found = SectionFigures(Section.FLOW_MONITORING)
    latest: dict[str, SurveyRelease] = {}
    for survey_release in (
        releases_public().filter(published_at__year=year).select_related("survey")
    ):
        latest.setdefault(survey_release.survey.code, survey_release)
    published = list(latest.values())
    source = _("CTIP public survey estimates published in %(year)s") % {"year": year}
    found.figures = {
        "surveys_published": count(len(published), source),
        "survey_respondents": count(sum(s.respondents for s in published), source),
    }
    if not published:
        found.empty = _("No survey estimate was published in %(year)s.") % {"year": year}
        return found
    rows: list[list[str | Figure]] = []
    for s in published:
        estimate = next(
            (e for e in s.rows if (e["breakdown"], e["indicator"]) == ("all", "any")), None
        )
        its_source = _("survey %(code)s, release of %(date)s, 95 %% Korn-Graubard interval") % {
            "code": s.survey.code,
            "date": s.published_at.date().isoformat(),
        }
        if estimate is None or estimate.get("too_few"):
            shown = Figure(_("too few respondents"), its_source)
        else:
            shown = Figure(
                _("%(p)s (%(low)s to %(high)s)")
                % {
                    "p": percent(100 * estimate["prevalence"], its_source).text,
                    "low": percent(100 * estimate["ci_low"], its_source).text,
                    "high": percent(100 * estimate["ci_high"], its_source).text,
                },
                its_source,
            )
        rows.append([s.survey.title, count(s.respondents, its_source), shown])
    found.tables.append(
        Table(
            _("Respondents with at least one indicator of trafficking or exploitation"),
            [_("Survey"), _("Respondents"), _("Share, with its 95 %% interval") % {}],
            rows,
            source,
        )
    )
    return found


def first(row: tuple[str, Any]) -> str:
    return row[0]


def conduct(year: int, release: Release) -> SectionFigures:
    """The year's allegations and investigations, suppressed in one run with the all-years
    tables (so that no year can be worked out by subtraction), and allegations by year."""
    from ctip.conduct.figures import public_statistics, public_year

    found = SectionFigures(Section.CONDUCT)
    figures = public_statistics()
    k = figures["threshold"]
    the_year = public_year(year, figures)
    source = _("CTIP public conduct statistics; cells below %(k)s hidden") % {"k": k}
    found.figures = {
        "allegations_in_year": count(the_year.allegations, source),
        "allegations_total": count(figures["total"], source),
        "investigations_finished": count(the_year.finished, source),
        "investigations_within_six_months": count(the_year.within_six_months, source),
        "share_within_six_months": percent(the_year.share_within_six_months, source),
    }
    tables: list[tuple[str, list[tuple[str, Shown]]]] = [
        (_("Allegations reported in the year, by category"), the_year.by_category),
        (
            _("Allegations reported in the year, by category of personnel"),
            the_year.by_personnel_category,
        ),
    ]
    for title, rows in tables:
        printed: list[list[str | Figure]] = [[label, count(n, source)] for label, n in rows]
        printed.append([_("Total"), count(the_year.allegations, source)])
        found.tables.append(Table(title, [_("Allegations"), _("Number")], printed, source))
    by_year = figures["tables"]["year"]
    found.tables.append(
        Table(
            _("Allegations of sexual exploitation and abuse by year reported"),
            [_("Year"), _("Number")],
            [[label, count(value, source)] for label, value in sorted(by_year.rows, key=first)]
            + [[_("Total"), count(by_year.total, source)]],
            source,
        )
    )
    return found


def case_law(year: int, release: Release) -> SectionFigures:
    from ctip.caselaw.selectors import headline, visible_decisions
    from ctip.core.reference import country_name

    found = SectionFigures(Section.CASE_LAW)
    decided = visible_decisions(None).filter(decision_date__year=year)
    groups = list(
        decided.order_by()
        .values("country_id", "country__name", "international_body")
        .annotate(n=Count("pk"))
    )
    source = _("CTIP public case law database: published decisions rendered in %(year)s") % {
        "year": year
    }
    whole = headline()
    found.figures = {
        "decisions_in_year": count(sum(g["n"] for g in groups), source),
        "jurisdictions_in_year": count(len(groups), source),
        "decisions_total": count(
            whole["decisions"], _("CTIP public case law database, all published decisions")
        ),
    }
    if not groups:
        found.empty = _("No published decision was rendered in %(year)s.") % {"year": year}
        return found
    from ctip.core.models import Country

    countries = Country.objects.in_bulk([g["country_id"] for g in groups if g["country_id"]])

    def jurisdiction(g: dict) -> str:
        if g["international_body"]:
            return str(g["international_body"])
        return country_name(countries[g["country_id"]]) if g["country_id"] in countries else "—"

    rows: list[list[str | Figure]] = [
        [name, count(n, source)] for name, n in sorted((jurisdiction(g), g["n"]) for g in groups)
    ]
    found.tables.append(
        Table(
            _("Decisions rendered in the year, by jurisdiction"),
            [_("Jurisdiction"), _("Decisions")],
            rows,
            source,
        )
    )
    return found


def treaties(year: int, release: Release) -> SectionFigures:
    from ctip.countries.selectors import cross_country_figures, instrument_summaries

    found = SectionFigures(Section.TREATIES)
    as_of = datetime.date(year, 12, 31)
    summaries = instrument_summaries(as_of)
    source = _(
        "CTIP treaty status (United Nations Treaty Collection and ILO NORMLEX) on %(date)s"
    ) % {"date": as_of.isoformat()}
    parties = {s.instrument.code: s.parties for s in summaries}
    figures = cross_country_figures(year)
    responses = _("CTIP national responses recorded for %(year)s") % {"year": year}
    full = next((s for s in figures.criminalization if s.code == "full"), None)
    found.figures = {
        "protocol_parties": count(parties.get("UNTOC-TIP"), source),
        "convention_parties": count(parties.get("UNTOC"), source),
        "countries_criminalizing_fully": count(full.count if full else 0, responses),
        "countries_with_response": count(figures.criminalization_known, responses),
    }
    found.tables.append(
        Table(
            _("Parties and signatories at the end of the year"),
            [_("Instrument"), _("Parties"), _("Signatories")],
            [
                [str(s.instrument.short), count(s.parties, source), count(s.signatories, source)]
                for s in summaries
                if s.recorded
            ],
            source,
        )
    )
    if figures.criminalization:
        found.tables.append(
            Table(
                _("Criminalization of trafficking in persons"),
                [_("Criminalization"), _("Countries"), _("Share")],
                [
                    [s.label, count(s.count, responses), percent(s.percent, responses)]
                    for s in figures.criminalization
                ],
                responses,
            )
        )
    return found


def funds(year: int, release: Release) -> SectionFigures:
    from ctip.funds.selectors import portfolio, public_funds

    found = SectionFigures(Section.FUNDS)
    rows: list[list[str | Figure]] = []
    started, paid = 0, Decimal(0)
    funds_list = list(public_funds())
    for fund in funds_list:
        its = portfolio(fund)
        source = _("CTIP public page of the fund %(code)s: grants not cancelled") % {
            "code": fund.code
        }
        empty: dict[str, Any] = {"grants": 0, "amounts": {}, "usd": Decimal(0)}
        in_year = next((y for y in its.years if y["year"] == year), empty)
        paid_year = next((p for p in its.paid if p["year"] == year), empty)
        started += in_year["grants"]
        paid += paid_year["usd"]
        amounts = (
            "; ".join(money(a, c, source).text for c, a in sorted(in_year["amounts"].items()))
            or "—"
        )
        rows.append(
            [
                fund.name,
                count(in_year["grants"], source),
                Figure(amounts, source),
                money(paid_year["usd"], "USD", source),
            ]
        )
    source = _("CTIP public pages of the trust funds, %(year)s") % {"year": year}
    found.figures = {
        "funds": count(len(funds_list), source),
        "grants_started": count(started, source),
        "disbursed_usd": money(paid, "USD", source),
    }
    if rows:
        found.tables.append(
            Table(
                _("Grants of the trust funds in the year"),
                [
                    _("Fund"),
                    _("Grants started"),
                    _("Amounts committed"),
                    _("Disbursed (US dollars)"),
                ],
                rows,
                source,
            )
        )
    else:
        found.empty = _("No trust fund is recorded.")
    return found


def early_warning(year: int, release: Release) -> SectionFigures:
    """The situations whose assessment in force at the end of the year was cleared for
    publication (by an analyst other than its author), with their level: never a score,
    a summary or evidence, which stay with each situation's watchers."""
    from ctip.warning import framework
    from ctip.warning.public import shared_situations

    found = SectionFigures(Section.EARLY_WARNING)
    as_of = datetime.date(year, 12, 31)
    shared = shared_situations(as_of)
    source = _(
        "CTIP public early-warning page: assessments in force on %(date)s and cleared for "
        "publication (framework %(version)s)"
    ) % {"date": as_of.isoformat(), "version": framework.VERSION}
    found.figures = {"situations_shared": count(len(shared), source)}
    if not shared:
        found.empty = _(
            "No early-warning assessment in force at the end of %(year)s was cleared for "
            "publication; assessments stay with each situation's watchers."
        ) % {"year": year}
        return found
    found.tables.append(
        Table(
            _("Early-warning situations cleared for publication"),
            [_("Situation"), _("Level"), _("Assessed as of")],
            [
                [s.situation, Figure(s.level_label, source), date_format(s.as_of, "DATE_FORMAT")]
                for s in shared
            ],
            source,
        )
    )
    return found


GATHER: dict[str, Callable[[int, Release], SectionFigures]] = {
    Section.VICTIMS: victims,
    Section.FLOWS: flows,
    Section.CONFLICT: conflict,
    Section.FLOW_MONITORING: flow_monitoring,
    Section.CONDUCT: conduct,
    Section.CASE_LAW: case_law,
    Section.TREATIES: treaties,
    Section.FUNDS: funds,
    Section.EARLY_WARNING: early_warning,
}


def gather_one(year: int, section: Section) -> SectionFigures:
    """One section's figures (the author's page lists them beside the text)."""
    release = Release(year)
    if section in GATHER:
        found = GATHER[section](year, release)
    else:
        found = SectionFigures(section, figures=dict(victims(year, release).figures))
    found.figures["year"] = year_figure(release)
    return found


def year_figure(release: Release) -> Figure:
    return Figure(
        str(release.release.round.year), release_source(release.release, _("the reporting year"))
    )


def gather(year: int) -> list[SectionFigures]:
    """Every section's figures, in order. The introduction and the recommendations have no
    tables of their own; their texts may cite the headline figures of the victims."""
    release = Release(year)
    detected = victims(year, release)
    out = []
    for section in Section:
        if section == Section.VICTIMS:
            found = detected
        elif section in GATHER:
            found = GATHER[section](year, release)
        else:
            found = SectionFigures(section, figures=dict(detected.figures))
        found.figures["year"] = year_figure(release)
        out.append(found)
    return out
