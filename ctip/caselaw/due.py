"""Court decisions in draft that another legal officer saved: this one may review them."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctip.caselaw import policies, selectors
from ctip.caselaw.codes import DecisionStatus
from ctip.core.due import Due
from ctip.core.models import User


def due(user: User, today: datetime.date) -> list[Due]:
    if not user.has_role(*policies.EDITORS):
        return []
    drafts = selectors.own_decisions(user=user).filter(status=DecisionStatus.DRAFT)
    return [
        Due(
            _("Court decisions to review and publish"),
            drafts.exclude(updated_by=user).count(),
            reverse("caselaw:manage") + f"?status={DecisionStatus.DRAFT}",
        )
    ]
