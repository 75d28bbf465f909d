"""The part of a round's page that those who see every entity work on (coverage, figures,
duplicate clusters, publishing): the same for all of them, so kept rendered until the next
audited change."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ctip.core.audit import data_version
from ctip.core.models import Country, Entity, User
from ctip.statistics import charts, selectors
from ctip.statistics.codes import Indicator
from ctip.statistics.exports import WRITERS
from ctip.statistics.figures import (
    RoundFigures,
    area_rows,
    conviction_counts,
    flows,
    form_rows,
    round_figures,
)
from ctip.statistics.forms import ExpectForm, PublishForm
from ctip.statistics.models import ReportingRound

KEPT_SECONDS = 600


def desk(request: HttpRequest, user: User, round_: ReportingRound) -> str:
    """Coverage, figures, duplicate clusters and publishing: what those who see every entity
    work on below the list, the same for all of them. Kept rendered until the next audited
    change (the clusters' page in the key), since its forms and tables of every country are
    most of the page's time; each form's CSRF token is the reader's own, put in each time."""
    version = data_version()
    clusters = selectors.cluster_page(
        user=user, round_=round_, number=request.GET.get("clusters", "1")
    )
    key = f"round-desk:{round_.pk}:{version}:{translation.get_language()}:{clusters.number}"
    kept = cache.get(key)
    if kept is None:
        # stands for each reader's CSRF token: random, so no data can hold it
        placeholder = secrets.token_urlsafe(24)
        html = render_to_string(
            "statistics/_round_desk.html",
            {
                **_round_overview(user, round_, version),
                "round": round_,
                "clusters": clusters,
                "publish_form": PublishForm(),
                "formats": sorted(WRITERS),
                "releases": round_.releases.all(),
                "coverage": selectors.coverage(user=user, round_=round_),
                "entities": Entity.objects.filter(is_active=True).order_by("code"),
                "expect_form": ExpectForm(),
                "csrf_token": placeholder,
            },
        )
        kept = (placeholder, html)
        cache.set(key, kept, KEPT_SECONDS)
    placeholder, html = kept
    return mark_safe(html.replace(placeholder, get_token(request)))


def _round_overview(user: User, round_: ReportingRound, version: int) -> dict[str, Any]:
    """A round's figures for those who see every entity (the same for all of them), kept
    until the next audited change, since at a million records they take a tenth of a
    second to gather. Kept apart from the desk, whose key also holds the clusters' page: every
    page of clusters shows the same figures."""
    key = f"round-overview:{round_.pk}:{version}:{translation.get_language()}"
    if (kept := cache.get(key)) is not None:
        return kept  # type: ignore[no-any-return]
    counted = selectors.counted_submissions(user=user, round_=round_)
    raw = round_figures(counted)
    figures = round_figures(counted, deduplicate=True)
    shown = {
        "regions": area_rows(figures, "region", raw),
        "subregions": area_rows(figures, "subregion", raw),
        "countries": area_rows(figures, "country", raw),
        "forms": form_rows(figures),
        "flows": flows(counted),
        "charts": _round_charts(figures),
        "convictions": conviction_counts(figures),
    }
    # kept rendered: its tables of every country are most of the page's time
    overview = {"overview": render_to_string("statistics/_round_figures.html", shown)}
    cache.set(key, overview, KEPT_SECONDS)
    return overview


def _round_charts(figures: RoundFigures) -> dict[str, str]:
    """The detected-victims map and regional bars of a round (de-duplicated figures)."""
    if not figures.cells:
        return {}
    numeric = dict(Country.objects.values_list("alpha3", "numeric"))
    victims = {
        numeric[code]: figures.value(code, Indicator.DETECTED_VICTIMS)
        for code in figures.countries()
    }
    regions = [(row.name, row.victims) for row in area_rows(figures, "region")]
    return {
        "map": charts.world_map(
            victims, title=_("Detected victims by country of detection"), value_title=_("Victims")
        ),
        "regions": charts.bar_chart(
            regions, title=_("Detected victims by region"), value_title=_("Victims")
        ),
    }
