"""Parties to conflict, incidents of grave violations, and the people abducted.

What identifies someone — the narrative, the sources and the abductees' names — lives in
tables of its own (`IncidentDetails`, `AbducteeIdentity`), encrypted at rest
(`EncryptedTextField`), read only by the audited services. Everything else is what the
patterns count: an incident row carries its year, its violations (codes joined by “;”) and
its number of victims, so a million incidents group in one pass without joins.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.crypto import EncryptedTextField
from ctip.core.models import ConflictSituation, Country, Entity, User
from ctip.incidents.codes import (
    AbducteeStatus,
    Annex,
    PartyKind,
    Verification,
    VerificationBasis,
    VictimGroup,
    violation_labels,
)

GROUPS = tuple(VictimGroup.values)  # the count fields of an incident, in the MRM's order


def split_codes(joined: str) -> list[str]:
    return [code for code in joined.split(";") if code]


class Party(models.Model):
    """A party to a conflict situation: its register is shared by every entity (the annexes
    name parties, not entities' views of them)."""

    situation = models.ForeignKey(
        ConflictSituation, on_delete=models.PROTECT, related_name="+", verbose_name=_("situation")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=PartyKind.choices)
    aliases = models.CharField(_("aliases"), max_length=1000, blank=True)  # joined by “;”
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["situation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["situation", "name"], name="party_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return split_codes(self.aliases)


class Listing(models.Model):
    """A party named in an annex of the Secretary-General's report for a year."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="listings")
    annex = models.CharField(_("annex"), max_length=10, choices=Annex.choices)
    year = models.PositiveSmallIntegerField(_("year of the report"))
    violations = models.CharField(_("listed for"), max_length=300)  # codes joined by “;”
    measures_in_place = models.BooleanField(
        _("has put measures in place (section B)"), default=False
    )

    class Meta:
        ordering = ["-year", "annex"]
        constraints = [
            models.UniqueConstraint(fields=["party", "annex", "year"], name="listing_once")
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.annex} {self.year}"

    @property
    def violation_codes(self) -> list[str]:
        return split_codes(self.violations)

    @property
    def violation_labels(self) -> list[str]:
        return violation_labels(self.violation_codes)


class Incident(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40, unique=True)
    external_id = models.CharField(max_length=100, blank=True)  # incident_id of an import
    situation = models.ForeignKey(
        ConflictSituation, on_delete=models.PROTECT, related_name="+", verbose_name=_("situation")
    )
    date = models.DateField(_("date (or first possible date)"))
    date_to = models.DateField(_("last possible date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField()  # of `date`, for the patterns
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    admin1 = models.CharField(_("first-level administrative area"), max_length=100, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("perpetrator"),
    )
    violations = models.CharField(_("violations"), max_length=300)  # codes joined by “;”
    girls = models.PositiveIntegerField(_("girls"), default=0)
    boys = models.PositiveIntegerField(_("boys"), default=0)
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    unknown_sex = models.PositiveIntegerField(_("sex or age unknown"), default=0)
    victims = models.PositiveIntegerField(default=0)  # the sum of the five, for the patterns
    status = models.CharField(
        max_length=20, choices=Verification.choices, default=Verification.REPORTED
    )
    status_imported = models.BooleanField(default=False)  # decided in another system
    basis = models.CharField(max_length=30, choices=VerificationBasis.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            # covering, in GROUP BY order: the patterns read the index alone, no sort
            models.Index(
                fields=["status", "party", "year", "violations", "victims"],
                name="incident_pattern",
            ),
            # the same for a period (--from/--to): a range of dates, then the group
            models.Index(
                fields=["status", "date", "party", "year", "violations", "victims"],
                name="incident_pattern_dates",
            ),
            models.Index(fields=["entity", "external_id"], name="incident_external"),
            # covering, for the early-warning signals (a month's counts without the table)
            models.Index(
                fields=["status", "situation", "violations", "date", "decided_on", "victims"],
                name="incident_signals",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def violation_codes(self) -> list[str]:
        return split_codes(self.violations)

    @property
    def violation_labels(self) -> list[str]:
        return violation_labels(self.violation_codes)

    @property
    def counts(self) -> dict[str, int]:
        return {group: getattr(self, group) for group in GROUPS}

    @property
    def late(self) -> bool:
        """Verified after the end of the incident's quarter (Primero MRM's late verification):
        counted in the period it was verified in, and flagged as such."""
        if self.status != Verification.VERIFIED or self.decided_on is None:
            return False
        return quarter_end(self.date) < self.decided_on


def quarter_end(day: datetime.date) -> datetime.date:
    month = (day.month - 1) // 3 * 3 + 3
    following = datetime.date(day.year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


class IncidentDetails(models.Model):
    """The narrative, the sources and the note on the decision: encrypted, one row per
    incident, read only by the audited `services.details_view`."""

    incident = models.OneToOneField(
        Incident, primary_key=True, on_delete=models.CASCADE, related_name="details"
    )
    narrative = EncryptedTextField(_("narrative"), blank=True)
    sources = EncryptedTextField(blank=True)  # JSON: [{"source", "reliability"}]
    decision_note = EncryptedTextField(blank=True)

    def __str__(self) -> str:
        return f"details of incident {self.incident_id}"


class Abductee(models.Model):
    """One person abducted in an incident, followed until they are free and assisted."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="abductees")
    group = models.CharField(_("sex and age"), max_length=12, choices=VictimGroup.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=AbducteeStatus.choices, default=AbducteeStatus.HELD
    )
    status_on = models.DateField(_("since"))
    held_by = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("held by"),
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = models.JSONField(default=list, blank=True)  # [{"status", "on", "party", "by"}]

    class Meta:
        ordering = ["incident", "pk"]

    def __str__(self) -> str:
        return f"abductee {self.pk} of {self.incident_id}"


class AbducteeIdentity(models.Model):
    abductee = models.OneToOneField(
        Abductee, primary_key=True, on_delete=models.CASCADE, related_name="identity"
    )
    names = EncryptedTextField(_("names"), blank=True)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    def __str__(self) -> str:
        return f"identity of abductee {self.abductee_id}"
