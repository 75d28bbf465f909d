"""A supervisor's approval of the case plan and of the closure (Primero's approvals). CTIP
has no supervisor role: the entity's focal point is the supervisor. A caseworker asks
(`approval_request`); a focal point other than the one who asked approves, or sends the
request back with a comment (`approval_decide`). Each step is on the case's timeline and in
the audit log, and the other side is told. The comment may name the person: it is
encrypted, read with the notes (audited), never put in an e-mail or on the timeline."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.cases import policies
from ctip.cases.codes import (
    ApprovalDecision,
    ApprovalKind,
    ApprovalState,
    CaseEventKind,
    CasesAction,
    CaseStatus,
    GoalStatus,
)
from ctip.cases.models import Case, CaseApproval, CaseGoal
from ctip.cases.services.cases import status_write
from ctip.cases.services.common import case_event
from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.core.services import notify

COMMENT_LIMIT = 1_000
REQUESTED = {
    ApprovalKind.PLAN: CaseEventKind.PLAN_APPROVAL_REQUESTED,
    ApprovalKind.CLOSURE: CaseEventKind.CLOSURE_REQUESTED,
}
APPROVED = {
    ApprovalKind.PLAN: CaseEventKind.PLAN_APPROVED,
    ApprovalKind.CLOSURE: CaseEventKind.CLOSURE_APPROVED,
}
RETURNED = {
    ApprovalKind.PLAN: CaseEventKind.PLAN_RETURNED,
    ApprovalKind.CLOSURE: CaseEventKind.CLOSURE_RETURNED,
}


@transaction.atomic
def approval_request(
    *, actor: User, case: Case, kind: str, closing_status: str = CaseStatus.CLOSED
) -> CaseApproval:
    """Ask the entity's focal points to approve the case plan (its goals) or the closure of
    the case (with the closed status asked for). One request of a kind waits at a time."""
    policies.require_field_staff(actor)
    if not policies.may_keep_notes(actor, case):
        raise not_found()
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not policies.may_request_approval(actor, case):
        raise ValidationError(_("The case is closed."))
    if kind not in ApprovalKind.values:
        raise ValidationError(
            {"kind": _("One of: %(codes)s") % {"codes": ", ".join(ApprovalKind.values)}}
        )
    if kind == ApprovalKind.PLAN:
        closing_status = ""
        goals = CaseGoal.objects.filter(case=case).exclude(status=GoalStatus.DROPPED)
        if not goals.exists():
            raise ValidationError(_("Add the goals of the case plan before asking for approval."))
    elif closing_status not in policies.CLOSED_STATUSES:
        codes = ", ".join(policies.CLOSED_STATUSES)
        raise ValidationError({"closing_status": _("One of: %(codes)s") % {"codes": codes}})
    if CaseApproval.objects.filter(case=case, kind=kind, state=ApprovalState.PENDING).exists():
        raise ValidationError(_("Approval was asked already: a focal point has not answered."))
    approval = CaseApproval.objects.create(
        case=case, kind=kind, closing_status=closing_status, requested_by=actor
    )
    case_event(case, REQUESTED[ApprovalKind(kind)], actor)
    audit_record(
        actor=actor,
        action=CasesAction.APPROVAL_REQUESTED,
        target=case,
        details={"approval": approval.pk, "kind": kind},
    )
    focal_points = case.entity.users.filter(role__in=policies.FOCAL_POINTS, is_active=True)
    subject = (
        _("Case %(ref)s: approval of the case plan asked")
        if kind == ApprovalKind.PLAN
        else _("Case %(ref)s: approval of the closure asked")
    )
    notify(
        list(focal_points.exclude(pk=actor.pk)),
        subject % {"ref": case.reference},
        _("%(name)s asks a focal point to approve or send it back.") % {"name": actor.full_name},
        reverse("cases:detail", args=[case.pk]),
    )
    return approval


@transaction.atomic
def approval_decide(
    *, actor: User, approval: CaseApproval, decision: str, comment: str = ""
) -> CaseApproval:
    """A focal point of the case's entity, not the one who asked, approves (a closure then
    closes the case) or sends back with a comment; the one who asked is told."""
    policies.require_focal_point(actor)
    case = approval.case
    if not policies.may_work_on(actor, case):
        raise not_found()
    approval = CaseApproval.objects.select_for_update().get(pk=approval.pk)
    if approval.state != ApprovalState.PENDING:
        raise ValidationError(_("This request was answered already."))
    if not policies.may_decide(actor, approval):
        raise ValidationError(_("You asked for this approval: another focal point answers it."))
    errors: dict[str, str] = {}
    if decision not in ApprovalDecision.values:
        codes = ", ".join(ApprovalDecision.values)
        errors["decision"] = _("One of: %(codes)s") % {"codes": codes}
    comment = str(comment or "").strip()
    if len(comment) > COMMENT_LIMIT:  # refused, not cut
        errors["comment"] = _("At most %(n)s characters.") % {"n": f"{COMMENT_LIMIT:,}"}
    elif decision == ApprovalDecision.RETURN and not comment:
        errors["comment"] = _("Say what is to be changed.")
    if errors:
        raise ValidationError(errors)
    kind = ApprovalKind(approval.kind)
    approved = decision == ApprovalDecision.APPROVE
    approval.state = ApprovalState.APPROVED if approved else ApprovalState.RETURNED
    approval.decided_by, approval.decided_at, approval.comment = actor, timezone.now(), comment
    approval.save(update_fields=["state", "decided_by", "decided_at", "comment"])
    case_event(case, (APPROVED if approved else RETURNED)[kind], actor)
    details: dict[str, object] = {"approval": approval.pk, "kind": kind, "decision": decision}
    if approved and kind == ApprovalKind.CLOSURE and case.status not in policies.CLOSED_STATUSES:
        status_write(case=case, actor=actor, status=approval.closing_status)
        details["status"] = approval.closing_status
    audit_record(actor=actor, action=CasesAction.APPROVAL_DECIDED, target=case, details=details)
    if approval.requested_by is not None:
        body = (
            _("Read the answer on the case page.")
            if approved
            else _("A focal point sent it back with a comment: read it on the case page.")
        )
        notify(
            [approval.requested_by],
            _subject(kind, approved) % {"ref": case.reference},
            body,
            reverse("cases:detail", args=[case.pk]),
        )
    return approval


def _subject(kind: ApprovalKind, approved: bool) -> str:
    if kind == ApprovalKind.PLAN:
        if approved:
            return _("Case %(ref)s: the case plan is approved")
        return _("Case %(ref)s: the case plan was sent back")
    if approved:
        return _("Case %(ref)s: the closure is approved")
    return _("Case %(ref)s: the closure was sent back")
