"""Issue 18, a supervisor's approval (the entity's focal point) of the case plan and of the
closure: asked by the caseworker, approved or sent back with an encrypted comment, on the
timeline, audited, told; waiting requests on the focal points' home page."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ctip.cases import services
from ctip.cases.codes import CasesAction
from ctip.cases.due import due
from ctip.cases.models import Case, CaseApproval, CaseEvent
from ctip.cases.tests.builders import a_case
from ctip.core.codes import Role
from ctip.core.models import AuditEvent, Notification
from ctip.core.testing import make_user, signed_in_client

pytestmark = pytest.mark.django_db
COMMENT = "Amina's school goal needs a date"


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


def act(client, case: Case, action: str, **data: str):
    return client.post(reverse("cases:act", args=[case.pk, action]), data, follow=True)


def decide(client, approval: CaseApproval, decision: str, comment: str = ""):
    url = reverse("cases:approval_decide", args=[approval.case_id, approval.pk])
    return client.post(url, {"decision": decision, "comment": comment}, follow=True)


def waiting(user) -> int:
    found = [d for d in due(user, timezone.localdate()) if "approval" in d.url]
    return found[0].count if found else -1


# --- closure -------------------------------------------------------------------------------------


def test_a_caseworker_asks_for_closure_and_a_focal_point_approves_it(worker, focal):
    case = a_case(worker)
    client = signed_in_client(worker)
    # a caseworker no longer closes a case directly
    with pytest.raises(ValidationError) as refused:
        services.case_set_status(actor=worker, case=case, status="closed")
    assert set(refused.value.message_dict) == {"status"}
    page = act(client, case, "status", status="closed")
    assert "A focal point approves the closure" in page.content.decode()
    html = page.content.decode()
    assert 'data-testid="closure-form"' in html
    assert 'value="closed"' not in html.split('data-testid="status-form"')[1].split("</form>")[0]
    # when the caseworker asks for closure (referred)
    page = act(client, case, "closure", closing_status="closed_referred")
    # then the request waits, on the timeline, audited, and the focal points are told
    asked = CaseApproval.objects.get()
    assert (asked.kind, asked.state, asked.closing_status) == (
        "closure",
        "pending",
        "closed_referred",
    )
    assert 'data-approval-state="pending"' in page.content.decode()
    assert CaseEvent.objects.filter(case=case, kind="closure_requested").exists()
    assert AuditEvent.objects.get(action=CasesAction.APPROVAL_REQUESTED).details == {
        "approval": asked.pk,
        "kind": "closure",
    }
    assert Notification.objects.filter(user=focal, subject__contains=case.reference).exists()
    assert not Notification.objects.filter(user=worker).exists()
    # the focal point's home page counts it and the list shows it
    assert waiting(focal) == 1 and waiting(worker) == -1
    listed = signed_in_client(focal).get("/cases/", {"approval": "pending"}).content.decode()
    assert case.reference in listed
    other = a_case(worker, names="B. K.")
    assert other.reference not in listed
    # when the focal point approves on the case page
    page = decide(signed_in_client(focal), asked, "approve")
    # then the case is closed as asked, the caseworker told, nothing waits
    case.refresh_from_db()
    assert case.status == "closed_referred" and case.closed_at is not None
    assert 'data-approval-state="approved"' in page.content.decode()
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-2:] == ["closure_approved", "status"]
    decided = AuditEvent.objects.get(action=CasesAction.APPROVAL_DECIDED)
    assert decided.details == {
        "approval": asked.pk,
        "kind": "closure",
        "decision": "approve",
        "status": "closed_referred",
    }
    assert Notification.objects.filter(user=worker, subject__contains="closure is approved")
    assert waiting(focal) == 0
    assert (
        case.reference
        not in signed_in_client(focal).get("/cases/", {"approval": "pending"}).content.decode()
    )


def test_a_focal_point_still_closes_directly_and_answers_the_request_so(worker, focal):
    case = a_case(worker)
    services.approval_request(actor=worker, case=case, kind="closure")
    services.case_set_status(actor=focal, case=case, status="closed")
    case.refresh_from_db()
    assert case.status == "closed"
    assert CaseApproval.objects.get().state == "approved"
    assert waiting(focal) == 0
    # and a caseworker may still reopen it
    services.case_set_status(actor=worker, case=case, status="active")
    case.refresh_from_db()
    assert case.status == "active" and case.closed_at is None


# --- the case plan -------------------------------------------------------------------------------


def test_a_plan_sent_back_carries_an_encrypted_comment_then_is_approved(actors, worker, focal):
    case = a_case(worker)
    client = signed_in_client(worker)
    # a plan without goals cannot be approved
    with pytest.raises(ValidationError):
        services.approval_request(actor=worker, case=case, kind="plan")
    services.goal_add(actor=worker, case=case, text="Back to school")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="plan-approval-form"' in page
    act(client, case, "plan_approval")
    asked = CaseApproval.objects.get()
    assert asked.kind == "plan" and asked.closing_status == ""
    # sending back needs a comment
    focal_client = signed_in_client(focal)
    page = decide(focal_client, asked, "return")
    assert "Comment: Say what is to be changed." in page.content.decode()
    asked.refresh_from_db()
    assert asked.state == "pending"
    # sent back with one: encrypted at rest, never in the e-mail, the timeline or the audit
    mail.outbox.clear()
    with_comment = decide(focal_client, asked, "return", COMMENT)
    assert with_comment.status_code == 200
    asked.refresh_from_db()
    assert asked.state == "returned" and asked.comment == COMMENT
    with connection.cursor() as cursor:
        cursor.execute("SELECT comment FROM cases_caseapproval WHERE id = %s", [asked.pk])
        assert "Amina" not in cursor.fetchone()[0]
    told = Notification.objects.get(user=worker)
    assert "sent back" in told.subject and "Amina" not in told.subject
    assert all("Amina" not in m.body and "Amina" not in m.subject for m in mail.outbox)
    assert all("Amina" not in e.note for e in CaseEvent.objects.filter(case=case))
    assert "Amina" not in str(AuditEvent.objects.get(action=CasesAction.APPROVAL_DECIDED).details)
    # the caseworker reads it on the case page (an audited read); a colleague does not
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert COMMENT.replace("'", "&#x27;") in html
    read = AuditEvent.objects.filter(action=CasesAction.NOTES_READ).latest("pk")
    assert read.details["approval_comments"] == 1
    colleague = make_user(actors.entity, Role.CASEWORKER)
    seen = signed_in_client(colleague).get(reverse("cases:detail", args=[case.pk])).content
    assert b"Amina" not in seen and b'data-approval-state="returned"' in seen
    # asked again, then approved
    again = services.approval_request(actor=worker, case=case, kind="plan")
    services.approval_decide(actor=focal, approval=again, decision="approve")
    again.refresh_from_db()
    assert again.state == "approved" and again.decided_by == focal
    case.refresh_from_db()
    assert case.status == "active"  # approving a plan closes nothing
    assert [e.kind for e in CaseEvent.objects.filter(case=case, kind__startswith="plan_")] == [
        "plan_approval_requested",
        "plan_returned",
        "plan_approval_requested",
        "plan_approved",
    ]


# --- who may -------------------------------------------------------------------------------------


def test_who_may_ask_and_who_may_answer(actors, worker, focal):
    case = a_case(worker)
    services.goal_add(actor=worker, case=case, text="Safe housing")
    asked = services.approval_request(actor=worker, case=case, kind="closure")
    url = reverse("cases:approval_decide", args=[case.pk, asked.pk])
    # another entity: 404; a caseworker: 403; an analyst: 403
    for other in (actors.other_by_role[Role.FOCAL_POINT], actors.other_by_role[Role.CASEWORKER]):
        client = signed_in_client(other)
        assert client.post(url, {"decision": "approve"}).status_code in (403, 404)
        response = client.post(reverse("cases:act", args=[case.pk, "closure"]))
        assert response.status_code == 404
    assert (
        signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
        .post(url, {"decision": "approve"})
        .status_code
        == 404
    )
    assert signed_in_client(worker).post(url, {"decision": "approve"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.approval_decide(actor=worker, approval=asked, decision="approve")
    # a caseworker not assigned cannot ask
    colleague = make_user(actors.entity, Role.CASEWORKER)
    with pytest.raises(Exception) as error:
        services.approval_request(actor=colleague, case=case, kind="plan")
    assert error.type.__name__ == "Http404"
    # one request of a kind waits at a time
    with pytest.raises(ValidationError):
        services.approval_request(actor=worker, case=case, kind="closure")
    # a focal point does not answer their own request
    own = services.approval_request(actor=focal, case=case, kind="plan")
    with pytest.raises(ValidationError):
        services.approval_decide(actor=focal, approval=own, decision="approve")
    # an answered request is not answered again, a closed case takes no request
    second_focal = make_user(actors.entity, Role.FOCAL_POINT)
    services.approval_decide(actor=second_focal, approval=asked, decision="approve")
    with pytest.raises(ValidationError):
        services.approval_decide(actor=focal, approval=asked, decision="return", comment="x")
    with pytest.raises(ValidationError):
        services.approval_request(actor=worker, case=case, kind="plan")
    CaseApproval.objects.filter(pk=own.pk).update(state="returned")
    with pytest.raises(ValidationError):
        services.approval_request(actor=worker, case=case, kind="plan")
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_a_failed_audit_write_leaves_the_request_and_the_case_as_they_were(worker, focal, request):
    # (test_services.py runs every write of the app with a failing audit too)
    case = a_case(worker)
    asked = services.approval_request(actor=worker, case=case, kind="closure")
    audit_fails = request.getfixturevalue("audit_fails")
    with pytest.raises(audit_fails):
        services.approval_decide(actor=focal, approval=asked, decision="approve")
    asked.refresh_from_db()
    case.refresh_from_db()
    assert asked.state == "pending" and case.status == "active" and case.closed_at is None
    assert CaseApproval.objects.count() == 1
    assert not CaseEvent.objects.filter(case=case, kind__in=["closure_approved", "status"])


def test_the_purge_blanks_the_comments_on_approvals(worker, focal):
    case = a_case(worker)
    services.goal_add(actor=worker, case=case, text="School")
    asked = services.approval_request(actor=worker, case=case, kind="plan")
    services.approval_decide(actor=focal, approval=asked, decision="return", comment=COMMENT)
    services.case_set_status(actor=focal, case=case, status="closed")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=9999))
    assert services.identities_purge() == 1
    assert CaseApproval.objects.get().comment == ""
