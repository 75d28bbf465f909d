"""Early warning: who watches which situation, the monthly signals computed from CTIP's own
data, analysts' assessments (evidence encrypted), and the alerts with their follow-up."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.crypto import EncryptedTextField
from ctip.core.models import ConflictSituation, User
from ctip.warning.codes import AlertKind, Level, Signal


class Watch(models.Model):
    """A person who watches a situation: sees its signals and assessments and gets its alerts.
    Administrators decide who watches (`ctip.warning.policies`)."""

    situation = models.ForeignKey(ConflictSituation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["situation", "user"], name="watch_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.situation_id}"


class SignalMonth(models.Model):
    """One month of one signal for one situation, tested against the 12 months before it.
    Replaced as a whole each time the signals are computed."""

    situation = models.ForeignKey(ConflictSituation, on_delete=models.CASCADE, related_name="+")
    signal = models.CharField(max_length=30, choices=Signal.choices)
    month = models.DateField()  # the first day of the month
    value = models.FloatField(null=True)  # None: unknown (a proportion with no release)
    expected = models.FloatField(null=True)  # None: too little history to test
    upper = models.FloatField(null=True)
    score = models.PositiveSmallIntegerField(null=True)  # 0..3, see framework.COMPUTED_SCALE

    class Meta:
        ordering = ["situation_id", "signal", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "signal", "month"], name="signal_month_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.situation_id} {self.signal} {self.month:%Y-%m}"

    @property
    def raised(self) -> bool:
        return (self.score or 0) >= 2


class Computation(models.Model):
    """One run of the signals: when, as of which date, how long it took, what it raised."""

    as_of = models.DateField()
    finished_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0)
    situations = models.PositiveIntegerField(default=0)
    alerts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.as_of} {self.finished_at:%Y-%m-%d %H:%M}"


class Assessment(models.Model):
    """An analyst's scoring of a situation as of a date. Never edited (only its clearance for
    publication is given or withdrawn): a new assessment supersedes it, so that every earlier
    one stays as it was."""

    situation = models.ForeignKey(ConflictSituation, on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(_("as of"))
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    framework = models.CharField(max_length=20)  # framework.VERSION when recorded
    summary = EncryptedTextField(_("summary"), blank=True)
    score = models.FloatField(null=True)  # overall, 0-1, with the signals of its month
    level = models.CharField(max_length=12, choices=Level.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Cleared for publication by a second analyst (`services.assessment_share`): the
    # situation's name, the as-of date, the level and the framework version may then be
    # published (`ctip.warning.public`); never the summary, scores, evidence or sources.
    shared_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-as_of", "-pk"]

    def __str__(self) -> str:
        return f"{self.situation_id} {self.as_of}"


class IndicatorScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.CharField(max_length=20)  # framework.Indicator.code
    score = models.PositiveSmallIntegerField(null=True)  # None: not known
    evidence = EncryptedTextField(_("evidence"), blank=True)
    sources = EncryptedTextField(_("sources"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.indicator}={self.score}"


class Alert(models.Model):
    """Raised once per situation, kind, subject and month; kept with its acknowledgement."""

    situation = models.ForeignKey(ConflictSituation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    subject = models.CharField(max_length=30)  # a Signal, or the Level reached
    month = models.DateField()
    value = models.FloatField(null=True)
    upper = models.FloatField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(_("follow-up"), blank=True)

    class Meta:
        ordering = ["-month", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "kind", "subject", "month"], name="alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.situation_id} {self.kind} {self.subject} {self.month:%Y-%m}"
