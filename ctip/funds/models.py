"""Trust funds for victims (the UN Voluntary Trust Fund for Victims of Trafficking, the
Slavery fund, the trust fund for victims of sexual exploitation and abuse) and their grants.
A fund is run by one entity's fund managers; its grants per country are published."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.crypto import EncryptedTextField
from ctip.core.models import Country, Entity, User
from ctip.funds.codes import GrantStatus, ProposalStatus, Purpose


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
    # the grantee as a CTIP entity, when it records its cases in CTIP: its reports can be
    # filled from the services it delivered (aggregated, never an identity)
    grantee_entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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


class Call(models.Model):
    """A call for proposals of a fund."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    """A project an NGO proposes in answer to a call, as the fund received it."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    reference = models.CharField(max_length=40, unique=True)
    applicant = models.CharField(_("applicant"), max_length=200)
    applicant_entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    services = models.JSONField(default=list)  # cases.codes.ServiceType
    target_groups = models.JSONField(default=list)  # codes.TargetGroup
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    reserve_rank = models.PositiveIntegerField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    grant = models.OneToOneField(
        Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="proposal"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.reference


class Review(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (0-100)"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="review_once"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="review_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.score}"


class Report(models.Model):
    """A grantee's report of the assistance delivered in a period: victims assisted (each
    counted once), and the same victims by sex and by age; by form of exploitation and by
    service (a victim may count under several). Scheduled when the grant is made."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    victims = models.PositiveIntegerField(null=True, blank=True)
    by_sex = models.JSONField(default=dict)  # core.codes.Sex -> n
    by_age = models.JSONField(default=dict)  # codes.AgeGroup -> n
    by_form = models.JSONField(default=dict)  # core.codes.FormOfExploitation -> n
    by_service = models.JSONField(default=dict)  # cases.codes.ServiceType -> n
    from_cases = models.BooleanField(default=False)
    narrative = EncryptedTextField(_("progress"), blank=True)
    reminded = models.JSONField(default=dict)  # "due_soon" / "overdue" -> ISO date told

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "period_start"], name="report_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.grant_id} {self.period_start}–{self.period_end}"


class Instalment(models.Model):
    """A payment the grant agreement plans, in the grant's currency."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.grant_id} {self.due_on}"


class Disbursement(models.Model):
    """Money paid to the grantee, in the grant's currency, with the United Nations
    operational rate of exchange used to report it in US dollars."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="disbursements")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    usd_rate = models.DecimalField(_("US dollars per unit"), max_digits=14, decimal_places=6)
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="disbursement_positive"),
            models.CheckConstraint(
                condition=models.Q(usd_rate__gt=0), name="disbursement_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant_id} {self.paid_on} {self.amount}"

    @property
    def usd(self) -> Decimal:
        return (self.amount * self.usd_rate).quantize(Decimal("0.01"))


class FundedCase(models.Model):
    """A person referred to assistance that a grant pays for (a victim of sexual
    exploitation and abuse, referred by a conduct officer to a grantee of the SEA fund):
    the link, never the identity, which stays in the case."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="funded_cases")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=40)  # the allegation's reference
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.grant_id} {self.case_id}"
