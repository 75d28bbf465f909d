"""Code lists of the early-warning app: the signals CTIP computes from its own data, the
levels an assessment can reach, the kinds of alert, the audit actions, and why an assessment
may not be cleared for publication."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Signal(models.TextChoices):
    """Monthly series computed per conflict situation (see `ctip.warning.sources`)."""

    INCIDENTS = "incidents", _("Verified incidents")
    ABDUCTIONS = "abductions", _("Victims of verified incidents that include an abduction")
    SEXUAL_VIOLENCE = "sexual_violence", _("Verified incidents of sexual violence")
    FLOW_PREVALENCE = "flow_prevalence", _("Flow monitoring: share with a trafficking indicator")
    PRESUMED_VICTIMS = "presumed_victims", _("Presumed victims in screenings")
    TIPS = "tips", _("Anonymous tips")
    CASES = "cases", _("Cases opened")
    ALLEGATIONS = "allegations", _("Allegations of sexual exploitation and abuse")


# A proportion (0-1) is not a count: its history has no Poisson floor, and a month without a
# release is unknown, not zero.
PROPORTIONS = frozenset({Signal.FLOW_PREVALENCE})
# Counts of records that belong to the entities that recorded them (allegations are the
# conduct officers' alone; screenings, tips and cases the field staff's): early warning says
# only whether they rose (their 0-3 score), never the counts, bounds or trend, anywhere.
SCORE_ONLY = frozenset({Signal.PRESUMED_VICTIMS, Signal.TIPS, Signal.CASES, Signal.ALLEGATIONS})


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


LEVEL_ORDER = [Level.LOW, Level.MODERATE, Level.HIGH, Level.VERY_HIGH]
ALERT_LEVELS = frozenset({Level.HIGH, Level.VERY_HIGH})


class AlertKind(models.TextChoices):
    SIGNAL = "signal", _("Signal above its expected range")
    LEVEL = "level", _("Level rose")


class WarningAction(models.TextChoices):
    WATCH_ADDED = "warning.watch_added", _("Watcher of a situation added")
    WATCH_REMOVED = "warning.watch_removed", _("Watcher of a situation removed")
    ASSESSED = "warning.assessed", _("Situation assessment recorded")
    EVIDENCE_VIEWED = "warning.evidence_viewed", _("Assessment evidence viewed")
    COMPUTED = "warning.computed", _("Early-warning signals computed")
    ALERT_ACKNOWLEDGED = "warning.acknowledged", _("Early-warning alert acknowledged")
    EXPORTED = "warning.exported", _("Situation assessment exported")
    SHARED = "warning.shared", _("Situation assessment cleared for publication")
    UNSHARED = "warning.unshared", _("Clearance of a situation assessment withdrawn")


class ShareRefusal(models.TextChoices):
    """Why an analyst who watches a situation may not clear one of its assessments for
    publication (the first three: `ctip.warning.policies.share_refusal`), or withdraw it."""

    OWN = "own", _("An assessment is cleared for publication by an analyst other than its author.")
    SUPERSEDED = (
        "superseded",
        _("Only the situation's latest assessment can be cleared for publication."),
    )
    NO_LEVEL = "no_level", _("An assessment without a level cannot be cleared for publication.")
    ALREADY_SHARED = "already_shared", _("This assessment is already cleared for publication.")
    NOT_SHARED = "not_shared", _("This assessment is not cleared for publication.")
