"""What early warning publishes: the situations whose latest assessment a second analyst
cleared for publication (`services.assessment_share`), for the public framework page, the
public API and the annual report to the Security Council.

Only the situation's name, the assessment's as-of date, its level and the framework version
leave; never the summary, scores, evidence, sources, author or who cleared it. Nothing here
reads an encrypted field, and nothing is counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from ctip.core.models import ConflictSituation
from ctip.warning.codes import Level
from ctip.warning.models import Assessment


@dataclass(frozen=True)
class SharedSituation:
    situation: str  # the situation's name
    as_of: datetime.date  # the assessment's
    level: str  # a `Level` code
    level_label: str  # its name, in the active language
    framework: str  # the framework version the assessment was recorded under


def shared_situations(as_of: datetime.date) -> list[SharedSituation]:
    """For each situation, its latest assessment dated on or before `as_of`, when that
    assessment is cleared for publication now; ordered by situation name. A newer assessment
    not cleared supersedes an older cleared one: the situation is then not listed."""
    latest = (
        Assessment.objects.filter(situation=OuterRef("pk"), as_of__lte=as_of)
        .order_by("-as_of", "-pk")
        .values("pk")[:1]
    )
    in_force = ConflictSituation.objects.annotate(latest=Subquery(latest)).values("latest")
    rows = (
        Assessment.objects.filter(pk__in=in_force, shared_at__isnull=False)
        .exclude(level="")
        .order_by("situation__name", "situation_id")
        .values_list("situation__name", "as_of", "level", "framework")
    )
    labels = dict(Level.choices)
    return [
        SharedSituation(
            situation=name,
            as_of=day,
            level=level,
            level_label=str(labels.get(level, level)),
            framework=version,
        )
        for name, day, level, version in rows
    ]
