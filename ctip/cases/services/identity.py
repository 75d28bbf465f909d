"""The one door to a person's identity (`CaseIdentity`): saved at opening, read by the
audited identity view, copied into a referral only with consent, hashed for the statistics,
purged at the end of retention. Nothing else in CTIP loads it.

The duplicate check at opening (a keyed hash of name and date of birth) says how many cases
of other entities match: an oracle across entities, so every check is audited (counts only)
and each user gets at most DUPLICATE_CHECKS_PER_HOUR of them, counted in the audit log."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ctip.cases import policies
from ctip.cases.codes import CaseEventKind, CasesAction, CaseStatus
from ctip.cases.models import (
    Case,
    CaseApproval,
    CaseEvent,
    CaseGoal,
    CaseIdentity,
    CaseNote,
    FollowUp,
)
from ctip.cases.services.attachments import attachments_purge
from ctip.cases.services.common import case_event
from ctip.core.audit import audit_record
from ctip.core.crypto import blind_index
from ctip.core.models import AuditEvent, User
from ctip.core.policies import not_found

IDENTITY_PURPOSE = "cases.identity"
IDENTITY_FIELDS = {
    "names": 500,
    "date_of_birth": 40,
    "contacts": 2_000,
    "documents": 2_000,
    "narrative": 50_000,
    "best_interests": 20_000,
}
DUPLICATE_CHECKS_PER_HOUR = 20


def identity_hash(names: str, date_of_birth: str) -> str:
    """Keyed hash of name and date of birth: equal people match across spellings of case
    and spacing; nothing can be read back from it."""
    if not names.strip():
        return ""
    return blind_index(f"{names}|{date_of_birth.strip()}", purpose=IDENTITY_PURPOSE)


def _load(case: Case) -> dict[str, str]:
    found = CaseIdentity.objects.filter(case_id=case.pk).first()
    return {name: (getattr(found, name) if found else "") or "" for name in IDENTITY_FIELDS}


def identity_save(*, case: Case, values: dict[str, str]) -> CaseIdentity:
    """Store the identity of a case being opened (called inside `case_open`'s transaction)."""
    return CaseIdentity.objects.create(
        case=case, **{name: values.get(name, "") for name in IDENTITY_FIELDS}
    )


def identity_replace(*, case: Case, values: dict[str, str]) -> dict[str, str]:
    """Write an edited identity (called inside `case_update`'s transaction); returns the
    previous value of each changed field, for the timeline's encrypted history."""
    found = CaseIdentity.objects.select_for_update().filter(case_id=case.pk).first()
    if found is None:
        found = CaseIdentity(case=case)
    previous = {
        name: getattr(found, name) or ""
        for name in IDENTITY_FIELDS
        if (getattr(found, name) or "") != values.get(name, "")
    }
    if previous:
        for name in IDENTITY_FIELDS:
            setattr(found, name, values.get(name, ""))
        found.save()
    return previous


@dataclass
class PreviousIdentity:
    """A value an edit replaced: when, by whom, which field (its label), the value."""

    at: datetime.datetime
    actor: str
    field: str
    value: str


@transaction.atomic
def identity_history(*, actor: User, case: Case) -> list[PreviousIdentity]:
    """The audited read of the identity values that edits replaced, newest first, for the
    response being built (never kept), for those who may see the identity. Nothing is
    audited when no edit replaced one."""
    from ctip.cases.facts import label

    if not policies.may_see_identity(actor, case):
        raise not_found()
    edits = (
        CaseEvent.objects.filter(case=case, kind=CaseEventKind.EDITED)
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    found = [
        PreviousIdentity(
            event.at, event.actor.full_name if event.actor else "", str(label(name)), value
        )
        for event in edits
        for name, value in json.loads(event.previous_identity or "{}").items()
    ]
    if found:
        audit_record(
            actor=actor,
            action=CasesAction.IDENTITY_VIEWED,
            target=case,
            details={"reference": case.reference, "previous_values": len(found)},
        )
    return found


@transaction.atomic
def identity_view(*, actor: User, case: Case) -> dict[str, str]:
    """The audited read: the identity for the assigned caseworker or a focal point, once,
    for the response being built. Never keep the result (session, cache, log, job)."""
    if not policies.may_see_identity(actor, case):
        raise not_found()
    audit_record(
        actor=actor,
        action=CasesAction.IDENTITY_VIEWED,
        target=case,
        details={"reference": case.reference},
    )
    return _load(case)


def identity_for_referral(*, case: Case) -> dict[str, str]:
    """For `referral_create`, which checked the consent to data sharing and audits the
    referral: the parts a snapshot may carry."""
    return _load(case)


def identity_linkage_key(*, case: Case, secret: str) -> str:
    """The case's linkage key, made as an entity makes it at the source (ctip.linkage), with
    the round's shared secret that the caseworker types: neither is kept. A date of birth
    the form took as free text ("about 1990") that is not a date is left out of the key."""
    from ctip.linkage.keys import Identity, IdentityProblem, encode

    identity = _load(case)
    person = Identity(identity["names"], "", identity["date_of_birth"], case.sex)
    try:
        return encode(person, secret)
    except IdentityProblem:
        return encode(Identity(identity["names"], "", "", case.sex), secret)


@dataclass
class DuplicateCheck:
    here: list[str] = field(default_factory=list)  # references in the same entity
    elsewhere: int = 0  # matching cases of other entities (no detail crosses over)
    paused: bool = False  # the user's hourly allowance of checks is used up


def duplicates_check(*, actor: User, case: Case) -> DuplicateCheck:
    """Probable duplicates of a case just opened, within the actor's hourly allowance.
    Audited with the counts only (never a name or a date of birth)."""
    if not case.identity_hash:
        return DuplicateCheck()
    since = timezone.now() - datetime.timedelta(hours=1)
    used = AuditEvent.objects.filter(
        actor=actor, action=CasesAction.DUPLICATE_CHECKED, created_at__gte=since
    ).count()
    if used >= DUPLICATE_CHECKS_PER_HOUR:
        result = DuplicateCheck(paused=True)
    else:
        matches = Case.objects.filter(identity_hash=case.identity_hash).exclude(pk=case.pk)
        result = DuplicateCheck(
            here=sorted(
                matches.filter(entity_id=case.entity_id).values_list("reference", flat=True)
            ),
            elsewhere=matches.exclude(entity_id=case.entity_id).count(),
        )
    audit_record(
        actor=actor,
        action=CasesAction.DUPLICATE_CHECKED,
        target=case,
        details={"here": len(result.here), "elsewhere": result.elsewhere, "paused": result.paused},
    )
    return result


@transaction.atomic
def identities_purge(*, now: Any = None, dry_run: bool = False, actor_label: str = "") -> int:
    """Delete the identity of cases closed longer than CTIP_CASE_RETENTION_DAYS; the
    pseudonymous part and the timeline stay. Returns how many cases were (or would be) purged."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.CTIP_CASE_RETENTION_DAYS)
    due = Case.objects.filter(
        status__in=[CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED],
        closed_at__lt=cutoff,
        identity_purged_at__isnull=True,
    )
    count = due.count()
    if dry_run or not count:
        return count
    for case in due:
        CaseIdentity.objects.filter(case_id=case.pk).delete()
        # free text that may name the person goes with the identity: notes, what a
        # follow-up was for, the plan's goals, the comments on approvals, the values edits
        # replaced; the files attached go too
        CaseNote.objects.filter(case_id=case.pk).update(text="")
        FollowUp.objects.filter(case_id=case.pk).update(what="")
        CaseGoal.objects.filter(case_id=case.pk).update(text="")
        CaseApproval.objects.filter(case_id=case.pk).update(comment="")
        attachments_purge(case=case)  # the files are deleted, content and all
        CaseEvent.objects.filter(case_id=case.pk).update(previous_identity="")
        case.identity_hash, case.identity_purged_at = "", now
        case.save(update_fields=["identity_hash", "identity_purged_at"])
        case_event(case, "identity_purged", None)
    audit_record(
        actor=None,
        action=CasesAction.IDENTITIES_PURGED,
        details={"cases": count, "retention_days": settings.CTIP_CASE_RETENTION_DAYS},
        actor_label=actor_label or "cli:purge_identities",
    )
    return count
