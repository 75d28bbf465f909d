"""Reads of GLOTIP-framework reporting, scoped to the user who asks.

Focal points and caseworkers see their own entity's submissions; analysts and administrators
see every entity's (pseudonymised records, never identities); the public sees releases only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, QuerySet, Value, When

from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.values import parse_id
from ctip.statistics import disclosure, policies
from ctip.statistics.codes import SubmissionStatus
from ctip.statistics.models import (
    AggregateValue,
    DuplicateCluster,
    ExpectedSubmission,
    PublishedRelease,
    ReportingRound,
    Submission,
    VictimRecord,
)

CLUSTERS_PER_PAGE = 50


def rounds() -> QuerySet[ReportingRound]:
    """Rounds are no secret: a year, a deadline, open or closed."""
    return ReportingRound.objects.all()


def round_get(*, year: int) -> ReportingRound:
    found = ReportingRound.objects.filter(year=year).first()
    if found is None:
        raise not_found()
    return found


def submissions_for(*, user: User) -> QuerySet[Submission]:
    return policies.scope_submissions(user)


def submission_get(*, user: User, submission_id: int | str) -> Submission:
    found_id = parse_id(submission_id)
    found = submissions_for(user=user).filter(pk=found_id).first() if found_id else None
    if found is None:
        raise not_found()
    return found


def counted_submissions(*, user: User, round_: ReportingRound) -> QuerySet[Submission]:
    """The round's submissions past draft and not returned: what its figures count."""
    return (
        submissions_for(user=user)
        .filter(round=round_)
        .exclude(status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED])
    )


def records_of(*, user: User, submission_id: int | str) -> QuerySet[VictimRecord]:
    """The pseudonymised victim records of a submission the user may read."""
    scoped = submission_get(user=user, submission_id=submission_id)
    return (
        VictimRecord.objects.filter(submission=scoped).select_related("citizenship").order_by("pk")
    )


def cells_of(*, user: User, submission: Submission, dimension: str) -> QuerySet[AggregateValue]:
    """The typed cells of one dimension of a submission the user may read."""
    scoped = submission_get(user=user, submission_id=submission.pk)
    return AggregateValue.objects.filter(submission=scoped, dimension=dimension)


def expected_get(*, user: User, round_: ReportingRound, expected_id: Any) -> ExpectedSubmission:
    policies.require(user, policies.COORDINATORS)
    found_id = parse_id(expected_id)
    found = round_.expected.filter(pk=found_id).first() if found_id else None
    if found is None:
        raise not_found()
    return found


IMPORT_JOB = "statistics_import"


def import_job_get(*, user: User, job_id: str) -> Any:
    """One of the user's own import jobs; any other job, or none, is the same 404."""
    from ctip.core.selectors import job_get

    job = job_get(user=user, job_id=job_id)
    if job.kind != IMPORT_JOB:
        raise not_found()
    return job


def trend(*, user: User) -> list[dict[str, Any]]:
    """Detected victims per round (as reported and counted once), for comparison across years."""
    from ctip.statistics.codes import Indicator
    from ctip.statistics.figures import round_figures

    policies.require(user, policies.COORDINATORS)
    rows = []
    for round_ in rounds():
        counted = counted_submissions(user=user, round_=round_)
        raw, once = round_figures(counted), round_figures(counted, deduplicate=True)
        victims = Indicator.DETECTED_VICTIMS
        rows.append(
            {
                "year": round_.year,
                "submissions": counted.count(),
                "countries": len(once.countries()),
                "reported": sum(raw.value(c, victims) for c in raw.countries()),
                "victims": sum(once.value(c, victims) for c in once.countries()),
            }
        )
    return rows


def releases() -> QuerySet[PublishedRelease]:
    """Published releases: public by design, since they passed disclosure control."""
    return PublishedRelease.objects.select_related("round")


def latest_release(*, year: int) -> PublishedRelease:
    found = releases().filter(round__year=year).order_by("-version").first()
    if found is None:
        raise not_found()
    return found


def cluster_get(*, user: User, cluster_id: int) -> DuplicateCluster:
    """Reviewers only; the records in a cluster are pseudonymised."""
    policies.require(user, policies.REVIEWERS)
    found = DuplicateCluster.objects.select_related("round").filter(pk=cluster_id).first()
    if found is None:
        raise not_found()
    return found


def cluster_page(*, user: User, round_: ReportingRound, number: str) -> Page:
    """One page of the round's duplicate clusters, those still to decide first."""
    policies.require(user, policies.COORDINATORS)
    undecided_first = Case(When(status="proposed", then=Value(0)), default=Value(1))
    clusters = round_.clusters.prefetch_related(
        "members__record__submission__entity",
        "members__record__submission__country_of_detection",
        "members__record__citizenship",
    ).order_by(undecided_first, "status", "pk")
    return Paginator(clusters, CLUSTERS_PER_PAGE).get_page(number)


def release_cells(release: PublishedRelease) -> list[disclosure.Cell]:
    return disclosure.stored_cells(release.cells, release.threshold)


@dataclass(frozen=True)
class PublishedFlow:
    origin: str  # ISO alpha-3 of the victims' citizenship
    destination: str  # of the country of detection
    victims: int
    kind: str  # codes.FlowKind


def release_flows(release: PublishedRelease) -> list[PublishedFlow]:
    """The origin → detection pairs the release published, largest first. A pair not listed
    had fewer victims than the threshold, or was hidden to protect one that had."""
    return sorted(
        (
            PublishedFlow(f["origin"], f["destination"], f["value"], f["kind"])
            for f in release.flows
            if f["status"] == disclosure.FREE
        ),
        key=lambda f: (-f.victims, f.origin, f.destination),
    )


def published_totals(
    *, year: int | None = None, area: str | None = None
) -> list[tuple[int, disclosure.Cell]]:
    """Totals (all sexes, all ages) per area and indicator from the latest release of each
    year, as published: a hidden value stays “<k” or confidential, never a number."""
    found = []
    latest: dict[int, PublishedRelease] = {}
    chosen = releases().filter(round__year=year) if year is not None else releases()
    for release in chosen.order_by("round__year", "version"):
        latest[release.round.year] = release
    for release_year, release in sorted(latest.items()):
        for cell in release_cells(release):
            if (cell.sex, cell.age, cell.dimension) != ("_T", "_T", "Total"):
                continue
            if area is not None and cell.area != area:
                continue
            found.append((release_year, cell))
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


def coverage(*, user: User, round_: ReportingRound) -> Coverage:
    """Expected submissions against those that came, and submissions nobody expected."""
    policies.require(user, policies.COORDINATORS)
    submissions = {
        (s.entity.code, s.country_of_detection_id): s
        for s in submissions_for(user=user).filter(round=round_)
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
