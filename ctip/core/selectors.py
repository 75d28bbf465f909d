"""Every read of the core app, already scoped to the user who asks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import CharField, Count, Func, Q, QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ctip.core.audit import AuditAction
from ctip.core.codes import Role
from ctip.core.models import (
    ApiToken,
    AuditEvent,
    ConflictSituation,
    Country,
    Entity,
    Job,
    User,
    WorkerHeartbeat,
)
from ctip.core.policies import can_see_entity_records, not_found, require_role
from ctip.core.values import day_after, parse_id

WORKER_ALIVE_SECONDS = 60


def one_or_404(scope: QuerySet[Any], raw_id: Any) -> Any:
    """The row of `scope` with this id, or the same 404 whether it is missing or out of the
    user's scope; an id that is not a number (or too large) is a 404 too, never a 500."""
    pk = parse_id(raw_id)
    found = scope.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise not_found()
    return found


def entity_directory() -> QuerySet[Entity]:
    """Names and kinds of all active entities: public within CTIP, so referrals can find them."""
    return Entity.objects.filter(is_active=True).select_related("country")


def entity_get(*, user: User, code: str) -> Entity:
    entity = Entity.objects.filter(code=code.upper()).select_related("country").first()
    if entity is None or not can_see_entity_records(user, entity):
        raise not_found()
    return entity


def entity_members(*, user: User, entity: Entity) -> QuerySet[User]:
    if not can_see_entity_records(user, entity):
        raise not_found()
    return entity.users.order_by("role", "email")


def users_for(*, user: User) -> QuerySet[User]:
    """Administrators see every account; others only their own entity's."""
    users = User.objects.select_related("entity")
    if user.has_role(Role.ADMINISTRATOR):
        return users
    return users.filter(entity=user.entity, is_active=True)


def countries(*, region: str = "") -> QuerySet[Country]:
    """All countries, or those in one M49 region, sub-region or intermediate region."""
    rows = Country.objects.select_related("region", "subregion", "intermediate_region")
    if region:
        rows = rows.filter(
            Q(region_id=region) | Q(subregion_id=region) | Q(intermediate_region_id=region)
        )
    return rows


def conflict_situations() -> QuerySet[ConflictSituation]:
    return ConflictSituation.objects.prefetch_related("countries")


def conflict_situation_get(*, situation_id: int) -> ConflictSituation:
    situation = conflict_situations().filter(pk=situation_id).first()
    if situation is None:
        raise not_found()
    return situation


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""
    entity: str = ""
    since: datetime | None = None
    until: datetime | None = None


def audit_events_for(*, user: User, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    require_role(user, Role.ADMINISTRATOR)
    events = AuditEvent.objects.select_related("entity")
    filters = filters or AuditFilter()
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.entity:
        events = events.filter(entity__code=filters.entity.upper())
    if filters.since:
        events = events.filter(created_at__gte=filters.since)
    if filters.until:
        events = events.filter(created_at__lt=filters.until)
    return events


def api_tokens_for(*, user: User) -> QuerySet[ApiToken]:
    return user.api_tokens.all()


def api_token_get(*, user: User, token_id: int) -> ApiToken:
    token = user.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise not_found()
    return token


def jobs_for(*, user: User) -> QuerySet[Job]:
    return Job.objects.filter(owner=user).defer("result_data")


def job_get(*, user: User, job_id: str | uuid.UUID) -> Job:
    try:
        job_uuid = uuid.UUID(str(job_id))
    except ValueError:
        raise not_found() from None
    job = Job.objects.filter(pk=job_uuid, owner=user).first()
    if job is None:
        raise not_found()
    return job


def worker_status() -> dict[str, object]:
    cutoff = timezone.now() - timedelta(seconds=WORKER_ALIVE_SECONDS)
    alive = WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).count()
    queued = DBTaskResult.objects.filter(status="READY").count()
    return {"status": "ok" if alive else "down", "workers": alive, "queued_tasks": queued}


def home_figures(*, user: User) -> list[tuple[str, int]]:
    """The figures on a user's home page: real counts, chosen by role."""
    from django.utils.translation import gettext as _

    day_ago = timezone.now() - timedelta(days=1)
    figures = [
        (
            _("Colleagues in %(entity)s") % {"entity": user.entity.code},
            user.entity.users.filter(is_active=True).count(),
        ),
        (_("Conflict situations followed"), ConflictSituation.objects.count()),
        (_("Your background jobs"), jobs_for(user=user).count()),
    ]
    if user.has_role(Role.ANALYST, Role.ADMINISTRATOR):
        figures.append((_("Reporting entities"), Entity.objects.filter(is_active=True).count()))
        figures.append((_("Countries and areas"), Country.objects.count()))
    if user.has_role(Role.ADMINISTRATOR):
        recent = AuditEvent.objects.filter(created_at__gte=day_ago)
        counts = recent.aggregate(
            failed=Count("pk", filter=Q(action=AuditAction.LOGIN_FAILED)),
            locked=Count("pk", filter=Q(action=AuditAction.LOCKED_OUT)),
        )
        figures.append((_("Failed sign-ins in the last 24 hours"), counts["failed"]))
        figures.append((_("Lockouts in the last 24 hours"), counts["locked"]))
        figures.append((_("Audit events"), AuditEvent.objects.count()))
    return figures


class YearMonth(Func):
    """'YYYY-MM' of a date or a timestamp (UTC), in the database's own function: Django's
    Trunc on SQLite calls back into Python for every row, far too slow at a million rows."""

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')", **extra
        )


def known_on(found: QuerySet[Any], day: date, recorded: str = "created_at") -> QuerySet[Any]:
    """Only the rows recorded by the end of `day`, for a look at the past as it was known
    then (a record dated last year but entered today was not known last year). Today's view
    skips the filter, so that counting can read a covering index alone."""
    if day >= timezone.localdate():
        return found
    return found.filter(**{f"{recorded}__lt": day_after(day)})
