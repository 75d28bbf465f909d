"""A focal point's answer to a request for approval of a case plan or a closure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.cases import policies, selectors, services
from ctip.cases.codes import ApprovalDecision
from ctip.cases.views import _errors, _user


@login_required
@require_POST
def approval_decide(request: HttpRequest, pk: int, approval_pk: int) -> HttpResponse:
    user = _user(request)
    policies.require_focal_point(user)
    case = selectors.case_get(user=user, case_id=pk)
    approval = selectors.approval_get(user=user, case=case, approval_id=approval_pk)
    decision = request.POST.get("decision", "")
    try:
        services.approval_decide(
            actor=user,
            approval=approval,
            decision=decision,
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Approved.") if decision == ApprovalDecision.APPROVE else _("Sent back."),
        )
    return redirect("cases:detail", pk=pk)
