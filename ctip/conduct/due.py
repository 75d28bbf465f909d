"""Investigations near their deadline (30 days or less) or past it."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctip.conduct import policies, selectors
from ctip.conduct.codes import AllegationStatus, Outcome
from ctip.core.due import Due
from ctip.core.models import User

NEAR_DAYS = 30


def due(user: User, today: datetime.date) -> list[Due]:
    if not user.has_role(*policies.READERS):
        return []
    ongoing = selectors.allegations_for(user, status=AllegationStatus.UNDER_INVESTIGATION).filter(
        investigation__outcome=Outcome.ONGOING
    )
    left = [a.investigation.days_left(today) for a in ongoing]
    url = reverse("conduct:register") + f"?status={AllegationStatus.UNDER_INVESTIGATION}"
    return [
        Due(
            _("Investigations past their deadline"),
            sum(1 for d in left if d < 0),
            url,
            overdue=True,
        ),
        Due(
            _("Investigations due within 30 days"),
            sum(1 for d in left if 0 <= d <= NEAR_DAYS),
            url,
        ),
    ]
