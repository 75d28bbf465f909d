"""The supplier register of a procurement office: suppliers, their acceptance of the UN
Supplier Code of Conduct, risk flags, due-diligence checks and the contracts awarded."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.models import Country, Entity, User
from ctip.suppliers.codes import FlagKind, Outcome, Sector, SupplierStatus


class Supplier(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    ungm_number = models.CharField(_("UNGM number"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    status = models.CharField(
        max_length=12, choices=SupplierStatus.choices, default=SupplierStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "ungm_number"], name="supplier_once_per_entity"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CodeAcceptance(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="acceptances")
    version = models.CharField(_("version"), max_length=20)
    accepted_on = models.DateField(_("accepted on"))
    signed_by = models.CharField(_("signed by"), max_length=200)

    class Meta:
        ordering = ["-accepted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.version}"


class Flag(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("kind"), max_length=12, choices=FlagKind.choices)
    detail = models.TextField(_("detail"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["closed_on", "-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.kind}"


class Check(models.Model):
    """A due-diligence check (of labour practices, recruitment fees, subcontractors)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField(_("checked on"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    expires_on = models.DateField(_("valid until"))
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reminded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.checked_on} {self.outcome}"


class Contract(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(_("reference"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    awarded_on = models.DateField(_("awarded on"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        ordering = ["-awarded_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "reference"], name="contract_once")
        ]

    def __str__(self) -> str:
        return self.reference
