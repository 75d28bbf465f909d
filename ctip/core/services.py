"""Every write of the core app: one function per use case, atomic, audited.

`actor=None` means the system itself (a management command run by an operator on the
server); the audit event then names the command in `actor_label`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctip.core.audit import AuditAction, Checkpoint, audit_checkpoint, audit_record
from ctip.core.codes import Role
from ctip.core.models import (
    ApiToken,
    ConflictSituation,
    Country,
    Entity,
    Job,
    Notification,
    User,
    WorkerHeartbeat,
)
from ctip.core.policies import needs_second_factor, require_role

TOKEN_PREFIX = "ctip_"  # noqa: S105 - a label, not a secret


def _require_admin(actor: User | None) -> None:
    if actor is not None:
        require_role(actor, Role.ADMINISTRATOR)


def country_by_code(code: str) -> Country:
    """Find a country by ISO alpha-3, alpha-2 or numeric code, or say which code is wrong."""
    code = (code or "").strip().upper()
    field = {3: "alpha3", 2: "alpha2"}.get(len(code), "")
    if code.isdigit():
        field, code = "numeric", code.zfill(3)
    country = Country.objects.filter(**{field: code}).first() if field else None
    if country is None:
        raise ValidationError(
            {
                "country": _("Unknown country code “%(code)s”: use ISO 3166 alpha-3, e.g. IRQ.")
                % {"code": code}
            }
        )
    return country


# --- entities and users ---------------------------------------------------------------------


@transaction.atomic
def entity_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    country: Country | None = None,
    actor_label: str = "",
) -> Entity:
    _require_admin(actor)
    entity = Entity(code=code.strip().upper(), name=name.strip(), kind=kind, country=country)
    entity.full_clean()
    entity.save()
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=AuditAction.ENTITY_CREATED,
        target=entity,
        entity=entity,
        details={"code": entity.code, "kind": entity.kind},
    )
    return entity


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    entity: Entity,
    role: str,
    password: str | None = None,
    actor_label: str = "",
) -> User:
    _require_admin(actor)
    user = User(
        email=User.objects.normalize_email(email).strip().lower(),
        full_name=full_name,
        entity=entity,
        role=role,
    )
    if password:
        password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=AuditAction.USER_CREATED,
        target=user,
        entity=entity,
        details={"email": user.email, "role": role},
    )
    return user


@transaction.atomic
def user_set_role(*, actor: User | None, user: User, role: str, actor_label: str = "") -> User:
    _require_admin(actor)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    previous = user.role
    user.role = role
    user.save(update_fields=["role"])
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=AuditAction.USER_ROLE_CHANGED,
        target=user,
        entity=user.entity,
        details={"from": previous, "to": role},
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: User | None, user: User, actor_label: str = "") -> User:
    _require_admin(actor)
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=AuditAction.USER_DEACTIVATED,
        target=user,
        entity=user.entity,
    )
    return user


@transaction.atomic
def user_set_language(*, actor: User, language: str) -> User:
    actor.preferred_language = language
    actor.save(update_fields=["preferred_language"])
    audit_record(
        actor=actor,
        action=AuditAction.USER_LANGUAGE_CHANGED,
        target=actor,
        details={"language": language},
    )
    return actor


@transaction.atomic
def user_change_password(
    *, actor: User, old_password: str, new_password: str, request: HttpRequest | None = None
) -> User:
    if not actor.check_password(old_password):
        raise ValidationError({"old_password": _("Your current password is not correct.")})
    password_validation.validate_password(new_password, actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit_record(actor=actor, action=AuditAction.PASSWORD_CHANGED, target=actor, request=request)
    return actor


# --- sign-in events (the views do the authentication; these record it) -----------------------


def login_succeeded(*, user: User, request: HttpRequest) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, target=user, request=request)


def login_failed(*, email: str, request: HttpRequest, locked_out: bool) -> None:
    user = User.objects.filter(email=email.strip().lower()).first()
    audit_record(
        actor=None,
        actor_label=email.strip().lower()[:254] or "(blank)",
        action=AuditAction.LOCKED_OUT if locked_out else AuditAction.LOGIN_FAILED,
        target=user,
        entity=user.entity if user else None,
        request=request,
    )


def logged_out(*, user: User, request: HttpRequest) -> None:
    audit_record(actor=user, action=AuditAction.LOGOUT, target=user, request=request)


# --- two-factor authentication --------------------------------------------------------------


def _may_enrol(actor: User) -> None:
    """Enrolling replaces the authenticator: only a first enrolment, or a session that has
    passed the current one, may do it (otherwise the password alone would replace it)."""
    if needs_second_factor(actor) and user_has_device(actor):
        raise PermissionDenied


@transaction.atomic
def totp_device_start(*, actor: User) -> TOTPDevice:
    """A fresh unconfirmed device; earlier unconfirmed ones are dropped."""
    _may_enrol(actor)
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def totp_device_confirm(
    *, actor: User, device: TOTPDevice, code: str, request: HttpRequest | None = None
) -> TOTPDevice:
    _may_enrol(actor)
    if device.user_id != actor.pk or device.confirmed:
        raise ValidationError({"code": _("This set-up has expired; start again.")})
    if not device.verify_token(code.strip()):
        audit_record(actor=actor, action=AuditAction.TWO_FACTOR_FAILED, request=request)
        raise ValidationError({"code": _("The code is not correct. Check the time on your phone.")})
    replaced, _kinds = (
        TOTPDevice.objects.filter(user=actor, confirmed=True).exclude(pk=device.pk).delete()
    )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=actor,
        action=AuditAction.TWO_FACTOR_ENABLED,
        target=actor,
        details={"replaced_devices": replaced},
        request=request,
    )
    return device


@transaction.atomic
def totp_reset(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """An administrator removes a user's authenticators (a lost phone); the user enrols
    again at the next sign-in, and every session of theirs must pass the new one."""
    _require_admin(actor)
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action=AuditAction.TWO_FACTOR_RESET,
        target=user,
        entity=user.entity,
        request=request,
    )


def totp_code_failed(*, actor: User, request: HttpRequest) -> None:
    audit_record(actor=actor, action=AuditAction.TWO_FACTOR_FAILED, request=request)


# --- API tokens ------------------------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Return the token row and the raw token, which is shown once and never stored.

    Only from a session past its second factor: a token minted with the password alone
    would be a way around it.
    """
    if needs_second_factor(actor):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name[:100], prefix=raw[: len(TOKEN_PREFIX) + 6], token_hash=hash_token(raw)
    )
    audit_record(
        actor=actor, action=AuditAction.TOKEN_CREATED, target=token, details={"name": token.name}
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise ValidationError(_("This token is not yours."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action=AuditAction.TOKEN_REVOKED, target=token)
    return token


# --- conflict situations ---------------------------------------------------------------------


@transaction.atomic
def conflict_situation_save(
    *,
    actor: User | None,
    name: str,
    countries: list[Country],
    start_date: date,
    end_date: date | None = None,
    description: str = "",
    situation: ConflictSituation | None = None,
    actor_label: str = "",
) -> ConflictSituation:
    """Create a conflict situation, or update `situation` when given."""
    _require_admin(actor)
    if not countries:
        raise ValidationError({"countries": _("Name at least one country.")})
    created = situation is None
    situation = situation or ConflictSituation()
    situation.name, situation.start_date = name.strip(), start_date
    situation.end_date, situation.description = end_date, description
    situation.full_clean()
    situation.save()
    situation.countries.set(countries)
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=AuditAction.CONFLICT_CREATED if created else AuditAction.CONFLICT_UPDATED,
        target=situation,
        details={"name": situation.name, "countries": sorted(c.alpha3 for c in countries)},
    )
    return situation


# --- audit checkpoints ------------------------------------------------------------------------


@transaction.atomic
def audit_checkpoint_export(*, actor: User, request: HttpRequest | None = None) -> Checkpoint:
    """A signed checkpoint of the audit chain for an administrator to keep elsewhere."""
    _require_admin(actor)
    checkpoint = audit_checkpoint()
    audit_record(
        actor=actor,
        action=AuditAction.AUDIT_CHECKPOINT,
        details={"sequence": checkpoint.sequence},
        request=request,
    )
    return checkpoint


# --- identity views and exports (used by the apps that hold identities) ----------------------


def identity_viewed(
    *, actor: User, target: Any, fields: list[str], request: HttpRequest | None = None
) -> None:
    """Every look at a person's identity leaves a trace: which record, which fields, who."""
    audit_record(
        actor=actor,
        action=AuditAction.IDENTITY_VIEWED,
        target=target,
        details={"fields": sorted(fields)},
        request=request,
    )


# --- background jobs -------------------------------------------------------------------------


@transaction.atomic
def job_start(
    *,
    actor: User,
    kind: str,
    parameters: dict[str, Any],
    task: Any | None,
    input_name: str = "",
    input_data: bytes | None = None,
) -> Job:
    """Create a job row and enqueue `task(job_id=...)` once the row is committed.

    With task=None the caller runs the job itself (small work done within the request).
    """
    job = Job.objects.create(
        owner=actor,
        entity=actor.entity,
        kind=kind,
        parameters=parameters,
        input_name=input_name[:200],
        input_data=input_data,
    )
    audit_record(
        actor=actor,
        action=AuditAction.JOB_STARTED,
        target=job,
        details={"kind": kind, **parameters},
    )
    if task is not None:
        transaction.on_commit(lambda: task.enqueue(job_id=str(job.id)))
    return job


def job_progress(*, job: Job, done: int, total: int, message: str = "") -> None:
    job.status, job.progress_done, job.progress_total = Job.Status.RUNNING, done, total
    job.message = message
    job.save(update_fields=["status", "progress_done", "progress_total", "message"])


def job_finish(
    *,
    job: Job,
    result_name: str = "",
    content_type: str = "",
    data: bytes | None = None,
    error: str = "",
    summary: dict[str, Any] | None = None,
    keep_input: bool = False,
) -> None:
    """Mark a job done (or failed) and keep its result. Its input file is dropped, unless
    `keep_input` (a file checked clean, kept for its owner to import without uploading it
    again, for at most KEPT_INPUT: see job_inputs_expire)."""
    job.status = Job.Status.FAILED if error else Job.Status.DONE
    job.message = error or job.message
    job.result_name, job.result_content_type, job.result_data = result_name, content_type, data
    job.summary = summary or job.summary
    if not error:  # done is all done, whatever the last progress report said
        job.progress_done = job.progress_total = max(job.progress_done, job.progress_total)
    if not keep_input:
        job.input_data = None
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "message",
            "result_name",
            "result_content_type",
            "result_data",
            "summary",
            "input_data",
            "finished_at",
            "progress_done",
            "progress_total",
        ]
    )


KEPT_INPUT = timedelta(hours=24)


def job_inputs_expire(now: datetime | None = None) -> int:
    """Drop the files kept after a check once they are KEPT_INPUT old (the worker does, at
    each heartbeat); how many were dropped."""
    cutoff = (now or timezone.now()) - KEPT_INPUT
    return Job.objects.filter(finished_at__lt=cutoff, input_data__isnull=False).update(
        input_data=None
    )


def jobs_orphaned_fail(now: datetime | None = None, *, restarted: str = "") -> int:
    """A worker killed in the middle of a job (out of memory, a restart) leaves its task and
    its job "running" for ever. Once that worker has not beaten for WORKER_DEAD_SECONDS,
    mark both failed, so the owner sees it and can start again: each job writes in one
    transaction, so nothing of it was kept. Every worker runs this at each heartbeat; a
    worker starting under the id of one that died (`restarted`) fails that one's tasks at
    once. How many jobs were marked."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=WORKER_DEAD_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True)
    )
    alive.discard(restarted[:64])
    running = DBTaskResult.objects.filter(status="RUNNING")
    if not restarted:
        running = running.filter(started_at__lt=cutoff)
    marked = 0
    for result in running:
        if result.worker_ids and result.worker_ids[-1][:64] in alive:
            continue
        with transaction.atomic():
            claimed = DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(
                status="FAILED", finished_at=now, exception_class_path=WORKER_STOPPED
            )
            job_id = (result.args_kwargs.get("kwargs") or {}).get("job_id")
            if claimed and job_id:
                marked += Job.objects.filter(
                    pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
                ).update(
                    status=Job.Status.FAILED,
                    message=_(
                        "The worker stopped during this job; nothing of it was kept. "
                        "Start it again."
                    ),
                    input_data=None,
                    finished_at=now,
                )
    return marked


# Long beside the heartbeat's 10 s: a worker whose beat is held up (a long SQLite write, a
# slow mail server, clocks a little apart between machines) is not taken for dead.
WORKER_DEAD_SECONDS = 300
WORKER_STOPPED = "ctip.core.services.WorkerStopped"


def notify(users: list[User], subject: str, body: str, url: str = "") -> None:
    """Tell people in the application and, once the change is committed, by e-mail. `url` is
    a path inside CTIP; the e-mail gets it as a full link (CTIP_BASE_URL)."""
    people = {u.pk: u for u in users if u.is_active}.values()
    Notification.objects.bulk_create(
        Notification(user=u, subject=subject[:300], url=url[:300]) for u in people
    )
    recipients = sorted({u.email for u in people})
    if recipients:
        text = body + (f"\n{settings.CTIP_BASE_URL}{url}" if url else "")
        transaction.on_commit(
            lambda: send_mail(subject, text, None, recipients, fail_silently=True)
        )


def notifications_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
