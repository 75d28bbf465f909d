"""Case work due today: follow-ups, referrals to answer, case plans and closures to approve
(focal points), tips to triage."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctip.cases import lists, policies, selectors
from ctip.cases.codes import ReferralStatus, TipStatus
from ctip.core.due import Due
from ctip.core.models import User


def due(user: User, today: datetime.date) -> list[Due]:
    if not user.has_role(*policies.FIELD_STAFF):
        return []
    follow_ups = selectors.follow_ups_due(user=user, on=today)
    cases = reverse("cases:index")
    found = [
        Due(
            _("Cases with a follow-up due"),
            follow_ups.values("case").distinct().count(),
            f"{cases}?follow_up=due",
            overdue=follow_ups.filter(due_on__lt=today).exists(),
        ),
        Due(
            _("Referrals waiting for your answer"),
            selectors.referrals_incoming(user=user).filter(status=ReferralStatus.PENDING).count(),
            reverse("cases:referrals") + f"?status={ReferralStatus.PENDING}",
        ),
    ]
    if policies.is_focal_point(user):
        waiting = selectors.approvals_pending(user=user)
        found.append(
            Due(
                _("Case plans and closures waiting for your approval"),
                waiting.values("case").distinct().count(),
                f"{cases}?approval={lists.APPROVAL_PENDING}",
            )
        )
    try:
        tips = selectors.tips_for(user=user).filter(status=TipStatus.NEW).count()
    except PermissionDenied:
        tips = 0
    found.append(
        Due(_("New tips to triage"), tips, reverse("cases:tips") + f"?status={TipStatus.NEW}")
    )
    return found
