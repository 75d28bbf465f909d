"""Allegations of sexual exploitation and abuse, their evidence and investigations.

Identities of victims and of the person the allegation is about, and the account of what
happened, live in their own table (`AllegationIdentity`), encrypted at rest
(`EncryptedTextField`): loading an allegation for the register, an export or the API never
reads them. Only the audited identity read (`services.identities_view`) loads that table.
The subject's identifier is kept only as a keyed hash on the allegation, so that vetting can
find a substantiated allegation without any clear text crossing entities.
"""

from __future__ import annotations

import datetime
import unicodedata

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.conduct.codes import (
    AllegationStatus,
    Category,
    Channel,
    CustodyAction,
    InvestigatingBody,
    Outcome,
    PersonnelCategory,
)
from ctip.core.crypto import EncryptedTextField
from ctip.core.models import Country, Entity, User


def split_codes(value: str) -> list[str]:
    return [code for code in value.split(";") if code]


UNIT_NAME_LENGTH = 120
UNIT_KEY_LENGTH = 240  # casefolding can lengthen a name ("ß" is "ss")


def unit_name(typed: str) -> str:
    """A unit's name as typed, its spaces tidied: "BANBAT 2 " is "BANBAT 2"."""
    return " ".join(typed.split())[:UNIT_NAME_LENGTH]


def unit_key(name: str) -> str:
    """What two spellings of one unit share: letters and digits only, casefolded, without
    accents, any script's digits as 0-9. "BANBAT-2", "Banbat 2" and "banbat ٢" are "banbat2"."""
    kept = []
    for char in unicodedata.normalize("NFKD", name.casefold()):
        if unicodedata.combining(char):
            continue
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            kept.append(str(digit))
        elif char.isalnum():
            kept.append(char)
    return "".join(kept)[:UNIT_KEY_LENGTH]


class Unit(models.Model):
    """A contingent's unit in a mission, as registered: the one name that allegations and
    certifications give it, however it was typed. Spellings that share a key are one unit; a
    unit merged into another stays as its alias (`merged_into`), so that its spelling keeps
    leading to the unit it was merged into."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")  # mission
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contingent's nationality"),
    )
    name = models.CharField(_("unit"), max_length=UNIT_NAME_LENGTH)
    key = models.CharField(max_length=UNIT_KEY_LENGTH, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="aliases"
    )
    registered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entity__code", "country_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "country", "key"], name="unit_once"),
            models.UniqueConstraint(
                fields=["entity", "key"],
                condition=models.Q(country__isnull=True),
                name="unit_once_without_country",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id or '—'} {self.name}"


class Allegation(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    incident_date = models.DateField(_("date of the incident"), null=True, blank=True)
    reported_on = models.DateField(_("date of the report"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    victims_count = models.PositiveIntegerField(_("victims"), default=1)
    victims_minors = models.PositiveIntegerField(_("of whom minors"), default=0)
    victims_female = models.PositiveIntegerField(_("of whom female"), default=0)
    victims_male = models.PositiveIntegerField(_("of whom male"), default=0)
    personnel_category = models.CharField(
        _("personnel category"), max_length=20, choices=PersonnelCategory.choices
    )
    contingent_country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contingent's nationality"),
    )
    unit = models.CharField(_("unit"), max_length=120, blank=True)  # the registered name
    registered_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="allegations"
    )
    subject_hash = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=AllegationStatus.choices, default=AllegationStatus.RECEIVED
    )
    steps_done = models.JSONField(default=dict, blank=True)  # step code -> {"at", "by"}
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        indexes = [  # covering, for the early-warning signals
            models.Index(fields=["entity", "reported_on"], name="allegation_signals")
        ]

    def __str__(self) -> str:
        return self.reference


class AllegationIdentity(models.Model):
    """Who the victims and the subject are and what happened: encrypted, one row per
    allegation, read only through the audited identity read."""

    allegation = models.OneToOneField(
        Allegation, primary_key=True, on_delete=models.CASCADE, related_name="identity"
    )
    victim_identities = EncryptedTextField(_("victims' identities"), blank=True)
    subject_identity = EncryptedTextField(_("identity of the subject"), blank=True)
    account = EncryptedTextField(_("account of what happened"), blank=True)

    def __str__(self) -> str:
        return f"identity of allegation {self.allegation_id}"


class CustodyEntry(models.Model):
    """One link in the chain of custody of an item of evidence: who held what, when."""

    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE, related_name="custody")
    item = models.CharField(_("item"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=CustodyAction.choices)
    holder = models.CharField(_("held by"), max_length=200)
    at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.action} ({self.holder})"


class Investigation(models.Model):
    allegation = models.OneToOneField(
        Allegation, on_delete=models.CASCADE, related_name="investigation"
    )
    body = models.CharField(
        _("investigating body"), max_length=20, choices=InvestigatingBody.choices
    )
    referred_on = models.DateField(_("referred on"))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    extension_days = models.PositiveIntegerField(default=0)
    extensions = models.JSONField(default=list, blank=True)  # [{"days", "reason", "by", "at"}]
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.ONGOING
    )
    measures = models.CharField(_("actions taken"), max_length=200, blank=True)
    interim_measures = models.CharField(_("interim measures"), max_length=200, blank=True)
    paternity_claims = models.PositiveIntegerField(
        _("paternity or child-support claims"), default=0
    )
    victim_referral = models.CharField(_("victim assistance"), max_length=300, blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    alerts_sent = models.JSONField(default=list, blank=True)  # "30", "7", "overdue"
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.allegation.reference}: {self.body}"

    @property
    def due_without_extensions(self) -> datetime.date:
        """Six months from referral (CTIP_CONDUCT_INVESTIGATION_MONTHS)."""
        return add_months(self.referred_on, settings.CTIP_CONDUCT_INVESTIGATION_MONTHS)

    @property
    def deadline(self) -> datetime.date:
        return self.due_without_extensions + datetime.timedelta(days=self.extension_days)

    def days_left(self, today: datetime.date) -> int:
        return (self.deadline - today).days

    @property
    def measure_codes(self) -> list[str]:
        return split_codes(self.measures)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day (31 August + 6 → 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


class VettingCheck(models.Model):
    """A pre-deployment check of one person, kept without the person's identifier."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)
    hit = models.BooleanField()
    purpose = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d} {'hit' if self.hit else 'no hit'}"


class UnitCertification(models.Model):
    """A Member State's certification for a unit before deployment (para 45-46)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")  # mission
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(_("unit"), max_length=120)  # the registered name
    registered_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="certifications"
    )
    deployed_on = models.DateField(_("deployed on"))
    personnel = models.PositiveIntegerField(_("personnel deployed"), default=0)
    training_done = models.BooleanField(_("pre-deployment training done"), default=False)
    no_prior_misconduct = models.BooleanField(_("no known prior misconduct"), default=False)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["entity__code", "country_id", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "country", "unit", "deployed_on"], name="certification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.unit}"

    @property
    def complete(self) -> bool:
        return bool(self.certified_on and self.training_done and self.no_prior_misconduct)
