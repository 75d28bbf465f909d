"""Code lists of the trust funds app: what a fund is for, a grant's status, currencies
(ISO 4217, from pycountry), and the audit actions."""

from __future__ import annotations

import functools

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    TRAFFICKING = "trafficking", _("Victims of trafficking in persons")
    SLAVERY = "slavery", _("Victims of contemporary forms of slavery")
    SEA = "sea", _("Victims of sexual exploitation and abuse")


class GrantStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


@functools.cache
def currencies() -> frozenset[str]:
    """ISO 4217 alphabetic codes."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


class FundsAction(models.TextChoices):
    FUND_SAVED = "funds.fund_saved", _("Trust fund defined")
    GRANT_SAVED = "funds.grant_saved", _("Grant saved")
    GRANTS_IMPORTED = "funds.grants_imported", _("Grants imported")
    GRANTS_EXPORTED = "funds.grants_exported", _("Grants exported")
