"""Reads of GLOTIP-framework reporting, scoped to the user who asks.

Focal points and caseworkers see their own entity's submissions; analysts and administrators
see every entity's (pseudonymised records, never identities); the public sees releases only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ctip.core.codes import Role
from ctip.core.models import User
from ctip.core.policies import not_found, require_role
from ctip.statistics.models import DuplicateCluster, PublishedRelease, ReportingRound, Submission

CROSS_ENTITY_ROLES = (Role.ANALYST, Role.ADMINISTRATOR)
REPORTING_ROLES = (Role.FOCAL_POINT, Role.CASEWORKER, *CROSS_ENTITY_ROLES)


def rounds() -> QuerySet[ReportingRound]:
    return ReportingRound.objects.all()


def round_get(*, year: int) -> ReportingRound:
    found = ReportingRound.objects.filter(year=year).first()
    if found is None:
        raise not_found()
    return found


def submissions_for(*, user: User) -> QuerySet[Submission]:
    require_role(user, *REPORTING_ROLES)
    submissions = Submission.objects.select_related("round", "entity", "country_of_detection")
    if not user.has_role(*CROSS_ENTITY_ROLES):
        submissions = submissions.filter(entity=user.entity)
    return submissions


def submission_get(*, user: User, submission_id: int) -> Submission:
    found = submissions_for(user=user).filter(pk=submission_id).first()
    if found is None:
        raise not_found()
    return found


def releases() -> QuerySet[PublishedRelease]:
    """Published releases: public by design, since they passed disclosure control."""
    return PublishedRelease.objects.select_related("round")


def latest_release(*, year: int) -> PublishedRelease:
    found = releases().filter(round__year=year).order_by("-version").first()
    if found is None:
        raise not_found()
    return found


def cluster_get(*, cluster_id: int) -> DuplicateCluster:
    """Analysts only reach this (the view checks the role); records in it are pseudonymised."""
    found = DuplicateCluster.objects.select_related("round").filter(pk=cluster_id).first()
    if found is None:
        raise not_found()
    return found


def published_totals(*, year: int | None = None, area: str | None = None) -> list[dict]:
    """Totals (all sexes, all ages) per area and indicator from the latest release of each
    year, as published: a suppressed value stays “<k”, never a number."""
    found = []
    latest: dict[int, PublishedRelease] = {}
    chosen = releases().filter(round__year=year) if year is not None else releases()
    for release in chosen.order_by("round__year", "version"):
        latest[release.round.year] = release
    for release_year, release in sorted(latest.items()):
        for cell in release.cells:
            if (cell["sex"], cell["age"], cell["dimension"]) != ("_T", "_T", "Total"):
                continue
            if area is not None and cell["area"] != area:
                continue
            found.append({"year": release_year, **cell})
    return found


@dataclass(frozen=True)
class CoverageRow:
    entity: str
    country: str
    expected_id: int | None  # the expectation, if this pair was expected
    submission: Submission | None
    state: str  # missing, draft, on_time, late, unexpected

    @property
    def expected(self) -> bool:
        return self.expected_id is not None


@dataclass(frozen=True)
class Coverage:
    rows: list[CoverageRow]
    expected: int
    received: int  # expected and submitted (any state past draft)
    on_time: int
    missing: int  # expected, nothing submitted yet
    unexpected: int  # submitted without being expected


def coverage(round_: ReportingRound) -> Coverage:
    """Expected submissions against those that came, and submissions nobody expected."""
    submissions = {
        (s.entity.code, s.country_of_detection_id): s
        for s in round_.submissions.select_related("entity")
    }
    expected = {
        (e.entity.code, e.country_id): e.pk for e in round_.expected.select_related("entity")
    }
    rows = []
    for key in sorted(set(expected) | set(submissions)):
        submission = submissions.get(key)
        if submission is None or submission.submitted_at is None:
            state = "missing" if submission is None else "draft"
        else:
            state = "on_time" if submission.submitted_at.date() <= round_.deadline else "late"
        if key not in expected:
            state = "unexpected"
        rows.append(CoverageRow(key[0], key[1], expected.get(key), submission, state))
    received = [r for r in rows if r.expected and r.state in {"on_time", "late"}]
    return Coverage(
        rows=rows,
        expected=len(expected),
        received=len(received),
        on_time=sum(1 for r in received if r.state == "on_time"),
        missing=sum(1 for r in rows if r.expected and r.state in {"missing", "draft"}),
        unexpected=sum(1 for r in rows if not r.expected),
    )
