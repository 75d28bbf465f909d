"""Trust funds for victims (the UN Voluntary Trust Fund for Victims of Trafficking, the
Slavery fund, the trust fund for victims of sexual exploitation and abuse) and their grants.
A fund is run by one entity's fund managers; its grants per country are published."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.models import Country, Entity
from ctip.funds.codes import GrantStatus, Purpose


class Fund(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Grant(models.Model):
    """A grant agreement, as the fund's own system knows it (`grant_id`)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="grants")
    grant_id = models.CharField(_("grant id"), max_length=100)
    grantee = models.CharField(_("grantee"), max_length=200)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=12, choices=GrantStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fund__code", "grant_id"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "grant_id"], name="grant_once_per_fund"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="grant_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grant_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.grant_id}"
