"""Code lists of the supplier register: sectors (those where forced labour and trafficking in
supply chains are most reported are high-risk), flags, due-diligence outcomes, statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_VERSION = "2017-12"  # the UN Supplier Code of Conduct in force (revision 06, December 2017)


class Sector(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction")
    SECURITY = "security", _("Security services")
    CLEANING = "cleaning", _("Cleaning and facility services")
    CATERING = "catering", _("Food, rations and catering")
    AGRICULTURE = "agriculture", _("Agriculture and fishing")
    TEXTILES = "textiles", _("Textiles and uniforms")
    MINING = "mining", _("Mining, metals and fuel")
    TRANSPORT = "transport", _("Transport and logistics")
    ELECTRONICS = "electronics", _("Electronics and IT")
    MEDICAL = "medical", _("Medical supplies")
    SERVICES = "services", _("Professional services")
    OTHER = "other", _("Other")


HIGH_RISK_SECTORS = frozenset(
    {
        Sector.CONSTRUCTION,
        Sector.SECURITY,
        Sector.CLEANING,
        Sector.CATERING,
        Sector.AGRICULTURE,
        Sector.TEXTILES,
        Sector.MINING,
        Sector.ELECTRONICS,
    }
)


class FlagKind(models.TextChoices):
    SECTOR = "sector", _("High-risk sector")
    COUNTRY = "country", _("High-risk country")
    ALLEGATION = "allegation", _("Allegation of trafficking or forced labour in the supply chain")


class Outcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    CONDITIONS = "conditions", _("Passed with conditions")
    FAILED = "failed", _("Failed")


PASSING = frozenset({Outcome.PASSED, Outcome.CONDITIONS})


class SupplierStatus(models.TextChoices):
    PENDING = "pending", _("Not cleared")
    CLEARED = "cleared", _("Cleared")
    SUSPENDED = "suspended", _("Suspended")


class SuppliersAction(models.TextChoices):
    SAVED = "suppliers.saved", _("Supplier saved")
    IMPORTED = "suppliers.imported", _("Suppliers imported")
    CODE_ACCEPTED = "suppliers.code_accepted", _("Supplier Code of Conduct accepted")
    FLAGGED = "suppliers.flagged", _("Supplier flagged")
    FLAG_CLOSED = "suppliers.flag_closed", _("Supplier's flag closed")
    CHECKED = "suppliers.checked", _("Due-diligence check recorded")
    STATUS = "suppliers.status", _("Supplier cleared or suspended")
    CONTRACT = "suppliers.contract", _("Contract recorded")
    REMINDED = "suppliers.reminded", _("Procurement reminded of checks expiring")
