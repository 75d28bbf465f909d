"""Reads of the report's texts: drafts are for its authors only (policies.require_author)."""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.reports import policies
from ctip.reports.models import Narrative, NarrativeVersion


def narratives(*, user: User, year: int) -> QuerySet[Narrative]:
    policies.require_author(user)
    return Narrative.objects.filter(year=year).select_related("updated_by", "approved_by")


def narrative_get(*, user: User, year: int, section: str, language: str) -> Narrative | None:
    return narratives(user=user, year=year).filter(section=section, language=language).first()


def narrative_versions(*, user: User, narrative: Narrative) -> QuerySet[NarrativeVersion]:
    policies.require_author(user)
    return narrative.versions.select_related("saved_by")


def report_years() -> list[int]:
    """The years a report can be made for: those with a published GLOTIP release."""
    from ctip.statistics import selectors

    return sorted({r.round.year for r in selectors.releases()}, reverse=True)


def require_year(year: int) -> None:
    if year not in report_years():
        raise not_found()
