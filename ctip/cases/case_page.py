"""What the case page shows of a case's files and of its requests for approval, for one
user: names and comments only from the audited read of the case's work (`work`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from ctip.cases import policies, selectors
from ctip.cases.codes import ApprovalDecision, ApprovalKind, ApprovalState
from ctip.cases.forms import AttachmentForm
from ctip.cases.models import Case, CaseApproval, CaseAttachment
from ctip.cases.services.attachments import max_bytes
from ctip.cases.services.notes import CaseWork
from ctip.core.forms import blank_form
from ctip.core.models import User

RowOfCase = TypeVar("RowOfCase", CaseAttachment, CaseApproval)


def attachments_context(user: User, case: Case, work: CaseWork | None) -> dict[str, Any]:
    """What the case page shows of the files: with their names to those who read the notes
    (`work`, read audited), type, size, date and uploader only to the others."""
    may_attach = policies.may_attach(user, case)
    rows = _of(
        case,
        work.attachments if work is not None else selectors.case_attachments(user=user, case=case),
    )
    return {
        "attachments": [
            {"file": a, "may_delete": may_attach and policies.may_delete_attachment(user, a)}
            for a in rows
        ],
        "may_attach": may_attach and not case.identity_purged_at,
        "attachment_form": blank_form(AttachmentForm),
        "attachment_max_bytes": max_bytes(),
    }


def approvals_context(user: User, case: Case, work: CaseWork | None) -> dict[str, Any]:
    """The requests of the case, newest first, each with what the user may do with it; the
    comments only to those who read the notes (`work`, read audited)."""
    comments = {a.pk: a.comment for a in work.approvals} if work is not None else {}
    approvals = _of(case, selectors.case_approvals(user=user, case=case).order_by("-requested_at"))
    pending = {a.kind for a in approvals if a.state == ApprovalState.PENDING}
    may_request = policies.may_request_approval(user, case)
    return {
        "approvals": [
            {
                "approval": a,
                "comment": comments.get(a.pk, ""),
                "may_decide": a.state == ApprovalState.PENDING and policies.may_decide(user, a),
            }
            for a in approvals
        ],
        "may_ask_plan": may_request and ApprovalKind.PLAN not in pending,
        "may_ask_closure": may_request
        and ApprovalKind.CLOSURE not in pending
        and not policies.may_close(user, case),
        "can_close": policies.may_close(user, case),
        "decisions": ApprovalDecision.choices,
    }


def _of(case: Case, rows: Iterable[RowOfCase]) -> list[RowOfCase]:
    """`rows` of `case` as a list, each knowing its case: the policies that look at
    `row.case` (`may_delete_attachment`, `may_decide`) then read no case per row."""
    found = list(rows)
    for row in found:
        if row.case_id != case.pk:  # the selectors filter by case: this would be a bug
            raise ValueError("a row of another case")
        row.case = case
    return found
