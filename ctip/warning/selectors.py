"""Reads of early warning, each taking the user and going through `ctip.warning.policies`.
None decrypts evidence: that is the audited `services.evidence_view`. A situation the user
does not watch is the same 404 as a missing one."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ctip.core.models import ConflictSituation, User
from ctip.core.selectors import one_or_404
from ctip.warning import levels, policies
from ctip.warning.models import Alert, Assessment, Computation, Watch


def situations_for(*, user: User) -> QuerySet[ConflictSituation]:
    return policies.situations_scope(user).prefetch_related("countries").order_by("name")


def situation_get(*, user: User, situation_id: Any) -> ConflictSituation:
    return one_or_404(situations_for(user=user), situation_id)


def states_for(*, user: User, situations: list[ConflictSituation]) -> dict[int, levels.Situation]:
    """Levels month by month, signals and look back, for situations the user watches."""
    watched = set(policies.situations_scope(user).values_list("pk", flat=True))
    pks = [s.pk for s in situations if s.pk in watched]
    return levels.stored(pks, timezone.localdate())


def assessments_of(*, user: User, situation: ConflictSituation) -> QuerySet[Assessment]:
    policies.require_situation(user, situation)
    return Assessment.objects.filter(situation=situation).select_related("author").defer("summary")


def assessment_get(*, user: User, assessment_id: Any) -> Assessment:
    return one_or_404(
        policies.assessments_scope(user).select_related("situation", "author", "shared_by"),
        assessment_id,
    )


def alerts_for(*, user: User, open_only: bool = False, situation: Any = None) -> QuerySet[Alert]:
    """The alerts of the situations the user watches, with their follow-up notes (shared
    among the watchers)."""
    found = policies.alerts_scope(user).select_related("situation", "acknowledged_by")
    if open_only:
        found = found.filter(acknowledged_at__isnull=True)
    if situation is not None:
        found = found.filter(situation=situation)
    return found


def alert_get(*, user: User, alert_id: Any) -> Alert:
    return one_or_404(policies.alerts_scope(user).select_related("situation"), alert_id)


def watches_for(*, user: User) -> QuerySet[Watch]:
    """Every watch, for the administrator who decides them."""
    policies.require_keeper(user)
    return Watch.objects.select_related("situation", "user", "user__entity").order_by(
        "situation__name", "user__email"
    )


def watch_get(*, user: User, watch_id: Any) -> Watch:
    return one_or_404(watches_for(user=user), watch_id)


def watch_candidates(*, user: User) -> QuerySet[User]:
    policies.require_keeper(user)
    return (
        User.objects.filter(is_active=True, role__in=policies.WATCHERS)
        .select_related("entity")
        .order_by("email")
    )


def all_situations(*, user: User) -> QuerySet[ConflictSituation]:
    policies.require_keeper(user)
    return ConflictSituation.objects.order_by("name")


def last_computation() -> Computation | None:
    """When the signals were last computed: no secret (a date and a count)."""
    return Computation.objects.first()


def computed_for(day: datetime.date) -> bool:
    """Whether the signals as of this day were computed already."""
    return Computation.objects.filter(as_of=day).exists()
