from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.models import Country, Entity, User
from ctip.countries.codes import (
    INSTRUMENT_CHOICES,
    RESPONSE_MEASURES,
    ConsentKind,
    Criminalization,
)


class TreatyStatus(models.Model):
    """One participant's signature and consent to be bound by one instrument."""

    instrument = models.CharField(_("instrument"), max_length=20, choices=INSTRUMENT_CHOICES)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.CharField(max_length=100, blank=True)  # e.g. the European Union
    participant = models.CharField(_("participant"), max_length=200)  # as the source wrote it
    signature = models.DateField(_("signature"), null=True, blank=True)
    consent_date = models.DateField(_("consent to be bound"), null=True, blank=True)
    consent_kind = models.CharField(max_length=20, choices=ConsentKind.choices, blank=True)
    denunciation = models.DateField(_("denunciation"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["instrument", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "country"],
                condition=Q(country__isnull=False),
                name="treaty_status_country_once",
            ),
            models.UniqueConstraint(
                fields=["instrument", "organization"],
                condition=Q(country__isnull=True),
                name="treaty_status_organization_once",
            ),
            models.CheckConstraint(
                condition=Q(country__isnull=False) | ~Q(organization=""),
                name="treaty_status_has_participant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument}: {self.participant}"


class NationalResponse(models.Model):
    """A country's legislation and national response in one year (para 20-24, 63 (e)).

    The measures are yes / no / unknown (null), never guessed.
    """

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    criminalization = models.CharField(
        _("criminalization of trafficking"),
        max_length=10,
        choices=Criminalization.choices,
        blank=True,
    )
    legislation = models.TextField(_("legislation"), blank=True)
    action_plan = models.BooleanField(null=True)
    coordination_body = models.BooleanField(null=True)
    national_rapporteur = models.BooleanField(null=True)
    referral_mechanism = models.BooleanField(null=True)
    survivor_council = models.BooleanField(null=True)
    specialised_units = models.BooleanField(null=True)
    jurisdiction_abroad = models.BooleanField(null=True)
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["country__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="national_response_once")
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.year}"

    def measures(self) -> list[tuple[str, bool | None]]:
        return [(str(label), getattr(self, name)) for name, label in RESPONSE_MEASURES.items()]
