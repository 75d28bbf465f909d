"""The authors' texts of the annual report. Its figures are never stored here: they are
read from the published data each time the report is built."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ctip.core.models import User
from ctip.reports.codes import NarrativeStatus, Section


class Narrative(models.Model):
    """One section of one year's report in one language, as its authors write it, with
    `{placeholders}` where the figures go. The report prints the approved text; a later
    draft waits for another author's approval (four eyes)."""

    year = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=20, choices=Section.choices)
    language = models.CharField(max_length=7, choices=settings.LANGUAGES)
    text = models.TextField()
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=NarrativeStatus.choices, default=NarrativeStatus.DRAFT
    )
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    approved_text = models.TextField(blank=True)
    approved_version = models.PositiveIntegerField(null=True, blank=True)
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year", "section", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "section", "language"], name="narrative_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.section} {self.language} v{self.version}"


class NarrativeVersion(models.Model):
    """Every saved text, kept: who wrote what, and which version was approved."""

    narrative = models.ForeignKey(Narrative, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    text = models.TextField()
    status = models.CharField(max_length=10, choices=NarrativeStatus.choices)
    saved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["narrative", "version"], name="narrative_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.narrative_id} v{self.version}"
