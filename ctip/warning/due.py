"""Early-warning alerts not yet acknowledged, for the situations the user watches."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctip.core.due import Due
from ctip.core.models import User
from ctip.warning import policies, selectors


def due(user: User, today: datetime.date) -> list[Due]:
    if not policies.may_watch(user):
        return []
    open_alerts = selectors.alerts_for(user=user, open_only=True).count()
    return [
        Due(
            _("Early-warning alerts to acknowledge"),
            open_alerts,
            reverse("warning:index"),
            overdue=True,
        )
    ]
