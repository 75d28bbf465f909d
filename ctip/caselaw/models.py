import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.caselaw.codes import DecisionStatus, Instance, Language, LegalSystem, Scope, Verdict
from ctip.core.models import ConflictSituation, Country, Entity, User
from ctip.core.reference import country_name


def split_codes(joined: str) -> list[str]:
    return joined.split(";") if joined else []


class Decision(models.Model):
    """A court decision on trafficking in persons, with SHERLOC's fields.

    Multi-valued codes (forms of exploitation, nationalities, evidential issues) are sorted
    codes joined by “;”. `search_text` is derived on save (see `ctip.caselaw.text`)."""

    # Stable across exports and installations: a file that comes back updates, never repeats.
    decision_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="decisions")
    status = models.CharField(
        max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(_("short title"), max_length=300)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    international_body = models.CharField(
        _("international court or body"), max_length=200, blank=True
    )
    court = models.CharField(_("court"), max_length=300)
    legal_system = models.CharField(
        _("legal system"), max_length=20, choices=LegalSystem.choices, blank=True
    )
    instance = models.CharField(
        _("latest ruling"), max_length=20, choices=Instance.choices, default=Instance.FIRST
    )
    decision_date = models.DateField(_("date of the decision"))
    case_number = models.CharField(_("case number"), max_length=200, blank=True)
    charges = models.JSONField(
        _("charges"), default=list, blank=True
    )  # [{legislation, charge, verdict}]
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    sentences = models.TextField(_("sentences"), blank=True)
    victims = models.JSONField(
        _("victims"), default=dict, blank=True
    )  # count, female, male, children
    defendants = models.JSONField(_("defendants"), default=dict, blank=True)
    victim_nationalities = models.CharField(max_length=400, blank=True)
    defendant_nationalities = models.CharField(max_length=400, blank=True)
    forms_of_exploitation = models.CharField(max_length=400, blank=True)
    acts = models.CharField(_("acts"), max_length=400, blank=True)
    means = models.CharField(_("means"), max_length=400, blank=True)
    purpose = models.CharField(_("purpose"), max_length=400, blank=True)
    scope = models.CharField(
        _("transnational or internal"), max_length=20, choices=Scope.choices, default=Scope.UNKNOWN
    )
    organised_crime = models.BooleanField(_("organised criminal group involved"), null=True)
    conflict_related = models.BooleanField(_("conflict-related"), default=False)
    conflict_situation = models.ForeignKey(
        ConflictSituation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fact_summary = models.TextField(_("summary of the facts"))
    legal_reasoning = models.TextField(_("legal reasoning"), blank=True)
    commentary = models.TextField(_("commentary"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    evidential_issues = models.CharField(max_length=400, blank=True)
    sources = models.TextField(_("source documents"), blank=True)
    language = models.CharField(
        _("language of the decision"), max_length=5, choices=Language.choices
    )
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decision_date", "-pk"]
        indexes = [
            models.Index(fields=["status", "decision_date"], name="decision_listing"),
            # the public search's cache key (selectors.published_version) reads their maxima
            models.Index(fields=["updated_at"], name="decision_updated"),
            models.Index(fields=["published_at"], name="decision_published"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def jurisdiction(self) -> str:
        """The international body, or the country's UN name in the active language."""
        return self.international_body or (country_name(self.country) if self.country else "")

    @property
    def forms(self) -> list[str]:
        return split_codes(self.forms_of_exploitation)

    @property
    def issues(self) -> list[str]:
        return split_codes(self.evidential_issues)


class DecisionVersion(models.Model):
    """Every saved state of a decision, kept: who changed what is never lost."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=DecisionStatus.choices)
    snapshot = models.JSONField()
    saved_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "version"], name="decision_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} v{self.version}"


class SearchStamp(models.Model):
    """One row, raised in every transaction that writes decisions (services.decisions_changed):
    the public search's kept results are keyed by it, so a change committed late, or out of
    order with another, is never answered from before."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"search stamp {self.version}"
