"""Code lists of the trust funds app: what a fund is for, a grant's status, currencies
(ISO 4217, from pycountry), and the audit actions."""

from __future__ import annotations

import functools

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ctip.core.codes import AgeGroup, Sex


class Purpose(models.TextChoices):
    TRAFFICKING = "trafficking", _("Victims of trafficking in persons")
    SLAVERY = "slavery", _("Victims of contemporary forms of slavery")
    SEA = "sea", _("Victims of sexual exploitation and abuse")


class GrantStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("grant", "Active")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RESERVE = "reserve", _("On the reserve list")
    FUNDED = "funded", _("Funded")
    REJECTED = "rejected", _("Not selected")


class Decision(models.TextChoices):
    FUND = "fund", _("Fund it")
    RESERVE = "reserve", _("Put it on the reserve list")
    REJECT = "reject", _("Do not select it")


class TargetGroup(models.TextChoices):
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    GIRLS = "girls", _("Girls")
    BOYS = "boys", _("Boys")
    DISPLACED = "displaced", _("Refugees and displaced people")
    MIGRANTS = "migrants", _("Migrants")


# a report's breakdowns: the SDMX codes of the statistics, without their totals
SEXES = (Sex.FEMALE, Sex.MALE, Sex.UNKNOWN)
AGES = (AgeGroup.CHILD, AgeGroup.ADULT, AgeGroup.UNKNOWN)


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
    CALL_SAVED = "funds.call_saved", _("Call for proposals opened")
    PROPOSAL_SAVED = "funds.proposal_saved", _("Proposal recorded")
    PROPOSAL_REVIEWED = "funds.proposal_reviewed", _("Proposal reviewed")
    PROPOSAL_DECIDED = "funds.proposal_decided", _("Proposal selected or not")
    REPORT_SUBMITTED = "funds.report_submitted", _("Assistance report recorded")
    REMINDED = "funds.reminded", _("Fund managers reminded of reports due")
    PAYMENT_SAVED = "funds.payment_saved", _("Instalment or disbursement recorded")
