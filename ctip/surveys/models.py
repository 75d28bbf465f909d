"""Surveys of people on the move, their answers, and the releases of their estimates.

No identity is ever collected: a response is a respondent's id from the collecting tool,
the design (weight, stratum, cluster), the breakdown variables and the answers. The answers
are two bit masks over the survey's indicators, in the survey's order — bit i set in
`answered` when indicator i was answered, in `yes` when the answer was yes — so that a
million responses load as a million small rows and every estimate is a pass of integer
operations.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.models import Entity, User
from ctip.surveys.codes import Experience

MAX_INDICATORS = 62  # the bits of a signed 64-bit integer, less one


class Indicator(models.Model):
    """A question answered yes or no; the DTM set is loaded with the app, others added."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    question = models.CharField(_("question"), max_length=300)
    experience = models.CharField(
        _("whose experience"), max_length=10, choices=Experience.choices, default=Experience.DIRECT
    )
    built_in = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Survey(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    indicators = models.JSONField(default=list)  # indicator codes, in bit order
    breakdowns = models.JSONField(default=list)  # Breakdown codes offered
    min_n = models.PositiveIntegerField(
        _("fewest respondents for a published estimate"), default=30
    )
    current_wave = models.CharField(_("current wave"), max_length=40, default="1")
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent_id = models.CharField(max_length=100)
    wave = models.CharField(max_length=40)
    weight = models.FloatField(default=1.0)
    stratum = models.CharField(max_length=60, blank=True)
    cluster = models.CharField(max_length=100, blank=True)
    route = models.CharField(max_length=60, blank=True)
    nationality = models.CharField(max_length=3, blank=True)
    sex = models.CharField(max_length=2, blank=True)
    age_band = models.CharField(max_length=8, blank=True)
    country_of_interview = models.CharField(max_length=3, blank=True)
    answered = models.BigIntegerField(default=0)
    yes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent_id"], name="respondent_once")
        ]

    def __str__(self) -> str:
        return self.respondent_id


class Release(models.Model):
    """Estimates as published, kept as they were: a release does not change when responses
    are added later; publishing again makes a new one."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="releases")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    respondents = models.PositiveIntegerField()
    rows = models.JSONField(default=list)  # [{breakdown, group, indicator, n, ...}]

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.survey.code} {self.published_at:%Y-%m-%d}"
