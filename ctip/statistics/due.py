"""Reporting work due: submissions to fix or send for the focal points, to validate and
duplicates to decide for the analysts, per round still taking work."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from ctip.core.due import Due
from ctip.core.models import User
from ctip.statistics import policies, selectors
from ctip.statistics.codes import RoundState, SubmissionStatus
from ctip.statistics.models import DuplicateCluster


def due(user: User, today: datetime.date) -> list[Due]:
    found: list[Due] = []
    rounds = {r.pk: r for r in selectors.rounds().exclude(state=RoundState.PUBLISHED)}
    if not rounds:
        return found
    wanted: dict[str, str] = {}
    if policies.holds(user, policies.REPORTERS):
        wanted[SubmissionStatus.RETURNED] = _("Submissions returned for correction, %(year)s")
        wanted[SubmissionStatus.DRAFT] = _("Draft submissions not yet sent, %(year)s")
    if policies.holds(user, policies.REVIEWERS):
        wanted[SubmissionStatus.SUBMITTED] = _("Submissions to validate, %(year)s")
    counts = (
        selectors.submissions_for(user=user)
        .filter(round__in=rounds, status__in=wanted)
        .values("round", "status")
        .annotate(n=Count("pk"))
    )
    for row in counts:
        round_ = rounds[row["round"]]
        if row["status"] == SubmissionStatus.DRAFT and round_.state != RoundState.OPEN:
            continue  # a draft of a closed round can no longer be sent
        url = reverse("statistics:round", args=[round_.year])
        found.append(
            Due(
                wanted[row["status"]] % {"year": round_.year},
                row["n"],
                f"{url}?status={row['status']}",
                overdue=round_.deadline < today and row["status"] != SubmissionStatus.SUBMITTED,
            )
        )
    if policies.holds(user, policies.REVIEWERS):
        clusters = (
            DuplicateCluster.objects.filter(
                round__in=rounds, status=DuplicateCluster.Status.PROPOSED
            )
            .values("round")
            .annotate(n=Count("pk"))
        )
        for row in clusters:
            year = rounds[row["round"]].year
            found.append(
                Due(
                    _("Clusters of probable duplicates to decide, %(year)s") % {"year": year},
                    row["n"],
                    reverse("statistics:round", args=[year]) + "#duplicates",
                )
            )
    return found
