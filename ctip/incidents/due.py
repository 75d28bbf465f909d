"""Verification due: incidents recorded by others, waiting for this monitor's decision."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctip.core.due import Due
from ctip.core.models import User
from ctip.incidents import policies, selectors
from ctip.incidents.codes import Verification


def due(user: User, today: datetime.date) -> list[Due]:
    if not user.has_role(*policies.MONITORS):
        return []
    url = reverse("incidents:index") + f"?status={Verification.UNDER_VERIFICATION}"
    return [
        Due(
            _("Incidents waiting for your verification"),
            selectors.awaiting_decision(user=user).count(),
            url,
        )
    ]
