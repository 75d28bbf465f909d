"""Case notes, follow-ups and the case plan's goals: free text that may name the person, so
encrypted, written and read by those who see the identity, each read audited (like a tip's
text)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.cases import policies
from ctip.cases.codes import CaseEventKind, CasesAction, GoalStatus
from ctip.cases.models import Case, CaseApproval, CaseAttachment, CaseGoal, CaseNote, FollowUp
from ctip.cases.services.attachments import attachments_of
from ctip.cases.services.common import case_event
from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.services import notify

NOTE_LIMIT = 10_000
WHAT_LIMIT = 1_000
GOAL_LIMIT = 2_000
FOLLOW_UP_HORIZON = datetime.timedelta(days=5 * 366)  # later than that is a typing error


def _require_notes(actor: User, case: Case) -> None:
    policies.require_field_staff(actor)
    if not policies.may_keep_notes(actor, case):
        raise not_found()
    if case.identity_purged_at:
        raise ValidationError(_("The identity of this case was deleted: no more notes."))


def _text(raw: Any, name: str, limit: int, errors: dict[str, str]) -> str:
    text = str(raw or "").strip()
    if not text:
        errors[name] = _("This field is required.")
    elif len(text) > limit:  # refused, not cut
        errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
    return text


@transaction.atomic
def note_add(*, actor: User, case: Case, text: str) -> CaseNote:
    _require_notes(actor, case)
    errors: dict[str, str] = {}
    text = _text(text, "text", NOTE_LIMIT, errors)
    if errors:
        raise ValidationError(errors)
    note = CaseNote.objects.create(case=case, text=text, author=actor)
    audit_record(actor=actor, action=CasesAction.NOTE_ADDED, target=case, details={"note": note.pk})
    return note


def clean_follow_up(raw: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    due_on = None
    text = str(raw.get("due_on") or "").strip()[:10]
    if not text:
        errors["due_on"] = _("This field is required.")
    else:
        try:
            due_on = datetime.date.fromisoformat(text)
        except ValueError:
            errors["due_on"] = _("A date such as 2024-03-31.")
        else:
            if due_on < today:
                errors["due_on"] = _("A follow-up is due today or later.")
            elif due_on > today + FOLLOW_UP_HORIZON:
                errors["due_on"] = _("A follow-up is due within five years.")
    what = _text(raw.get("what"), "what", WHAT_LIMIT, errors)
    if errors:
        raise ValidationError(errors)
    return {"due_on": due_on, "what": what}


@transaction.atomic
def follow_up_add(*, actor: User, case: Case, raw: dict[str, Any]) -> FollowUp:
    _require_notes(actor, case)
    values = clean_follow_up(raw)
    follow_up = FollowUp.objects.create(case=case, created_by=actor, **values)
    case_event(case, CaseEventKind.FOLLOW_UP_SET, actor, values["due_on"].isoformat())
    audit_record(
        actor=actor,
        action=CasesAction.FOLLOW_UP_ADDED,
        target=case,
        details={"follow_up": follow_up.pk, "due_on": values["due_on"].isoformat()},
    )
    return follow_up


@transaction.atomic
def follow_up_done(*, actor: User, follow_up: FollowUp) -> FollowUp:
    case = follow_up.case
    _require_notes(actor, case)
    if follow_up.done_at is not None:
        raise ValidationError(_("This follow-up is done already."))
    follow_up.done_at, follow_up.done_by = timezone.now(), actor
    follow_up.save(update_fields=["done_at", "done_by"])
    case_event(case, CaseEventKind.FOLLOW_UP_DONE, actor, follow_up.due_on.isoformat())
    audit_record(
        actor=actor,
        action=CasesAction.FOLLOW_UP_DONE,
        target=case,
        details={"follow_up": follow_up.pk},
    )
    return follow_up


@transaction.atomic
def goal_add(*, actor: User, case: Case, text: str) -> CaseGoal:
    """A goal of the case plan, planned."""
    _require_notes(actor, case)
    errors: dict[str, str] = {}
    text = _text(text, "goal", GOAL_LIMIT, errors)
    if errors:
        raise ValidationError(errors)
    goal = CaseGoal.objects.create(case=case, text=text, created_by=actor)
    case_event(case, CaseEventKind.GOAL_ADDED, actor)
    audit_record(actor=actor, action=CasesAction.GOAL_ADDED, target=case, details={"goal": goal.pk})
    return goal


@transaction.atomic
def goal_set_status(*, actor: User, goal: CaseGoal, status: str) -> CaseGoal:
    case = goal.case
    _require_notes(actor, case)
    if status not in GoalStatus.values:
        raise ValidationError(
            {"goal_status": _("One of: %(codes)s") % {"codes": ", ".join(GoalStatus.values)}}
        )
    if status == goal.status:
        return goal
    previous, goal.status = goal.status, status
    goal.save(update_fields=["status"])
    case_event(
        case, CaseEventKind.GOAL_STATUS, actor, changes={"goal": goal.pk, "status": previous}
    )
    audit_record(
        actor=actor,
        action=CasesAction.GOAL_UPDATED,
        target=case,
        details={"goal": goal.pk, "status": status},
    )
    return goal


@dataclass
class CaseWork:
    """A case's notes, follow-ups and plan with their text, for the response being built
    only."""

    notes: list[CaseNote] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    goals: list[CaseGoal] = field(default_factory=list)
    attachments: list[CaseAttachment] = field(default_factory=list)  # names, not contents
    approvals: list[CaseApproval] = field(default_factory=list)  # with their comments

    def __bool__(self) -> bool:
        return bool(
            self.notes or self.follow_ups or self.goals or self.attachments or self.approvals
        )


@transaction.atomic
def case_work_read(*, actor: User, case: Case) -> CaseWork:
    """The audited read of a case's notes, follow-ups, plan, the names of its files and the
    comments on its approvals (counts in the audit event, never the text). Nothing is read
    or audited when there is nothing to read."""
    _require_notes_read(actor, case)
    work = CaseWork(
        notes=list(CaseNote.objects.filter(case=case).select_related("author")),
        follow_ups=list(FollowUp.objects.filter(case=case).select_related("created_by", "done_by")),
        goals=list(CaseGoal.objects.filter(case=case)),
        attachments=attachments_of(case=case),
        approvals=[  # the ones with a comment (an encrypted column is not compared)
            approval
            for approval in CaseApproval.objects.filter(
                case=case, decided_at__isnull=False
            ).select_related("requested_by", "decided_by")
            if approval.comment
        ],
    )
    if work:
        details = {"notes": len(work.notes), "follow_ups": len(work.follow_ups)}
        details["goals"] = len(work.goals)
        if work.attachments:
            details["attachments"] = len(work.attachments)
        if work.approvals:
            details["approval_comments"] = len(work.approvals)
        audit_record(actor=actor, action=CasesAction.NOTES_READ, target=case, details=details)
    return work


def _require_notes_read(actor: User, case: Case) -> None:
    policies.require_field_staff(actor)
    if not policies.may_keep_notes(actor, case):
        raise not_found()


def follow_up_reminders(today: datetime.date | None = None) -> int:
    """Tell the caseworker of each open case (and who set the follow-up) of follow-ups that
    fell due, once each; the message names the case, never what is to be done. Run daily by
    the worker. How many follow-ups were reminded."""
    today = today or timezone.localdate()
    due = FollowUp.objects.filter(done_at__isnull=True, due_on__lte=today, reminded_on__isnull=True)
    return sum(_remind(pk, today) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def _remind(follow_up_pk: int, today: datetime.date) -> int:
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("case__caseworker", "created_by")
        .get(pk=follow_up_pk)
    )
    if follow_up.reminded_on is not None or follow_up.case.closed_at is not None:
        return 0
    case = follow_up.case
    people = [u for u in (case.caseworker, follow_up.created_by) if u is not None]
    notify(
        people,
        _("A follow-up is due on case %(ref)s") % {"ref": case.reference},
        _("A follow-up of case %(ref)s was due on %(due)s: see the case page.")
        % {"ref": case.reference, "due": follow_up.due_on.isoformat()},
        reverse("cases:detail", args=[case.pk]),
    )
    follow_up.reminded_on = today
    follow_up.save(update_fields=["reminded_on"])
    audit_record(
        actor=None,
        actor_label="ctip",
        action=CasesAction.FOLLOW_UP_REMINDED,
        target=case,
        entity=case.entity,
        details={"follow_up": follow_up.pk, "due_on": follow_up.due_on.isoformat()},
    )
    return 1
