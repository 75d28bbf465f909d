"""The GLOTIP release's figures for the report: detected victims (by region, sex, age and
form of exploitation) and their citizenship, read cell by cell from the published release,
each with the release and the cell it comes from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ctip.reports.codes import Section
from ctip.reports.figures import Chart, Figure, SectionFigures, Table, count, share
from ctip.statistics.codes import Indicator
from ctip.statistics.disclosure import FREE, Cell, Shown
from ctip.statistics.models import PublishedRelease

if TYPE_CHECKING:
    from ctip.statistics.exports import Names

WORLD = "001"


def release_source(release: PublishedRelease, what: str) -> str:
    return _("GLOTIP release %(year)s, version %(version)s (%(method)s): %(what)s") % {
        "year": release.round.year,
        "version": release.version,
        "method": release.method,
        "what": what,
    }


def cell_source(release: PublishedRelease, cell: Cell) -> str:
    key = "|".join((cell.area, cell.indicator, cell.sex, cell.age, cell.dimension, cell.category))
    return release_source(release, _("cell %(key)s") % {"key": key})


class Release:
    """A published release's cells, looked up by key."""

    def __init__(self, year: int) -> None:
        from ctip.statistics import selectors

        self.release = selectors.latest_release(year=year)
        self.cells = {
            (c.area, c.indicator, c.sex, c.age, c.dimension, c.category): c
            for c in selectors.release_cells(self.release)
        }

    def cell(
        self,
        area: str = WORLD,
        sex: str = "_T",
        age: str = "_T",
        dimension: str = "Total",
        category: str = "Total",
        indicator: str = Indicator.DETECTED_VICTIMS,
    ) -> Cell | None:
        return self.cells.get((area, indicator, sex, age, dimension, category))

    def figure(self, **key: str) -> Figure:
        cell = self.cell(**key)
        if cell is None:
            return count(None, release_source(self.release, _("no such cell")))
        return count(cell.shown, cell_source(self.release, cell))

    def shown(self, **key: str) -> Shown | None:
        cell = self.cell(**key)
        return cell.shown if cell else None

    def countries_reporting(self) -> int:
        return len(
            {
                c.area
                for c in self.cells.values()
                if len(c.area) == 3
                and c.area.isalpha()
                and c.indicator == Indicator.DETECTED_VICTIMS
            }
        )


def victims(year: int, release: Release) -> SectionFigures:
    from ctip.statistics import charts
    from ctip.statistics.exports import Names
    from ctip.statistics.public_views import COLUMNS, REGIONS, victim_rows

    r = release.release
    found = SectionFigures(Section.VICTIMS)
    found.figures = {
        "victims_detected": release.figure(),
        "victims_female": release.figure(sex="F"),
        "victims_male": release.figure(sex="M"),
        "victims_children": release.figure(age="Y0T17"),
        "victims_adults": release.figure(age="Y_GE18"),
        **victims_citizenship(release),
        "victims_conflict_related": release.figure(
            dimension="Conflict", category="Conflict-related"
        ),
        "countries_reporting": count(
            release.countries_reporting(),
            release_source(r, _("countries with a cell of detected victims")),
        ),
        "release_version": Figure(str(r.version), release_source(r, _("the release"))),
    }
    names = Names()
    rows = victim_rows(r, names)
    areas = [code for code in (WORLD, *sorted(REGIONS, key=names.shown)) if code in rows]
    header = [_("Area"), _("Total"), _("Female"), _("Male"), _("Children"), _("Adults")]
    found.tables.append(
        Table(
            _("Detected victims by region, sex and age"),
            header,
            [
                [
                    rows[a]["area"],
                    *(cell_figure(r, a, key, rows[a]["cells"][i]) for i, key in enumerate(COLUMNS)),
                ]
                for a in areas
            ],
            release_source(r, _("detected victims, dimension Total")),
        )
    )
    found.tables.append(forms_table(release))
    bars = [
        (rows[a]["area"], s.value)
        for a in areas
        if a != WORLD
        if (s := rows[a]["cells"][0]) and s.status == FREE
    ]
    if bars:
        found.charts.append(
            Chart(
                _("Detected victims by region"),
                charts.bar_spec(
                    bars, title=_("Detected victims by region"), value_title=_("Victims")
                ),
                release_source(r, _("published regional totals")),
            )
        )
    by_country = {
        names.countries[code].numeric: row["cells"][0].value
        for code, row in rows.items()
        if code in names.countries and row["cells"][0] and row["cells"][0].status == FREE
    }
    if by_country:
        found.charts.append(
            Chart(
                _("Detected victims by country"),
                charts.map_spec(
                    by_country,
                    title=_("Detected victims by country"),
                    value_title=_("Victims"),
                    categories=None,
                ),
                release_source(r, _("published country totals; hidden cells left blank")),
            )
        )
    return found


def cell_figure(
    release: PublishedRelease, area: str, key: tuple[str, str], shown: Shown | None
) -> Figure:
    sex, age = key
    cell = Cell(
        area, Indicator.DETECTED_VICTIMS, sex, age, "Total", "Total", shown or Shown(None, FREE, 0)
    )
    return count(shown, cell_source(release, cell))


def forms_table(release: Release) -> Table:
    from ctip.core.codes import FormOfExploitation

    rows: list[list[str | Figure]] = []
    for form in FormOfExploitation:
        cell = release.cell(dimension="Form of exploitation", category=form.value)
        if cell is not None:
            rows.append([str(form.label), count(cell.shown, cell_source(release.release, cell))])
    return Table(
        _("Detected victims by form of exploitation, world"),
        [_("Form of exploitation"), _("Victims")],
        rows,
        release_source(
            release.release,
            _("dimension Form of exploitation; a victim may suffer several forms"),
        ),
    )


def flows(year: int, release: Release) -> SectionFigures:
    """What the release says of where victims come from: foreigners and nationals by
    country of detection, and the largest flows from citizenship to detection that the
    release published (under the same suppression as its cells)."""
    found = SectionFigures(Section.FLOWS)
    from ctip.statistics.exports import Names

    names = Names()
    rows: list[list[str | Figure]] = []
    for area in sorted(
        {c.area for c in release.cells.values() if len(c.area) == 3 and c.area.isalpha()},
        key=names.shown,
    ):
        foreign = release.cell(area=area, dimension="Citizenship", category="Foreigners")
        nationals = release.cell(area=area, dimension="Citizenship", category="Nationals")
        if foreign is None and nationals is None:
            continue
        source = release_source(
            release.release, _("dimension Citizenship, %(area)s") % {"area": area}
        )
        rows.append(
            [
                names.shown(area),
                count(foreign.shown if foreign else None, source),
                count(nationals.shown if nationals else None, source),
                share(
                    foreign.shown if foreign else None,
                    [foreign.shown if foreign else None, nationals.shown if nationals else None],
                    source,
                ),
            ]
        )
    found.figures = {**victims_citizenship(release), **flow_figures(release)}
    flows_table = largest_flows(release, names)
    if rows:
        found.tables.append(
            Table(
                _("Foreign and national victims by country of detection"),
                [
                    _("Country of detection"),
                    _("Foreigners"),
                    _("Nationals"),
                    _("Share of foreigners"),
                ],
                rows,
                release_source(release.release, _("dimension Citizenship")),
            )
        )
    else:
        found.empty = _("The release has no victims by citizenship.")
    if flows_table is not None:
        found.tables.append(flows_table)
    return found


FLOWS_SHOWN = 25  # the report lists the largest; the public page and API give them all


def flow_figures(release: Release) -> dict[str, Figure]:
    from ctip.statistics.codes import FlowKind
    from ctip.statistics.selectors import release_flows

    published = release_flows(release.release)
    source = release_source(release.release, _("flows from citizenship to detection"))
    return {
        "flows_published": count(len(published), source),
        "flows_transregional": count(
            sum(1 for f in published if f.kind == FlowKind.TRANSREGIONAL), source
        ),
    }


def largest_flows(release: Release, names: Names) -> Table | None:
    from ctip.statistics.codes import FlowKind
    from ctip.statistics.selectors import release_flows

    published = release_flows(release.release)
    if not published:
        return None
    source = release_source(
        release.release,
        _(
            "flows from citizenship to detection; a pair below %(k)s, or hidden to protect "
            "one, is not listed"
        )
        % {"k": release.release.threshold},
    )
    return Table(
        _("Largest flows from citizenship to country of detection"),
        [_("Citizenship"), _("Country of detection"), _("Victims"), _("Flow")],
        [
            [
                names.shown(f.origin),
                names.shown(f.destination),
                count(f.victims, source),
                str(FlowKind(f.kind).label),
            ]
            for f in published[:FLOWS_SHOWN]
        ],
        source,
    )


def victims_citizenship(release: Release) -> dict[str, Figure]:
    foreign = release.shown(dimension="Citizenship", category="Foreigners")
    nationals = release.shown(dimension="Citizenship", category="Nationals")
    return {
        "victims_foreigners": release.figure(dimension="Citizenship", category="Foreigners"),
        "victims_nationals": release.figure(dimension="Citizenship", category="Nationals"),
        "victims_foreign_share": share(
            foreign,
            [foreign, nationals],
            release_source(
                release.release, _("foreigners among victims of known citizenship, world")
            ),
        ),
    }
