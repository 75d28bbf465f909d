"""Code lists of court decisions, after UNODC's SHERLOC case law database."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LegalSystem(models.TextChoices):
    COMMON_LAW = "common_law", _("Common law")
    CIVIL_LAW = "civil_law", _("Civil law")
    ISLAMIC_LAW = "islamic_law", _("Islamic law")
    MIXED = "mixed", _("Mixed")
    OTHER = "other", _("Other")


class Instance(models.TextChoices):
    """The level of the latest ruling."""

    FIRST = "first_instance", _("First instance")
    APPEAL = "appeal", _("Appeal")
    SUPREME = "supreme", _("Supreme or constitutional court")
    INTERNATIONAL = "international", _("International court or tribunal")


class Verdict(models.TextChoices):
    CONVICTED = "convicted", pgettext_lazy("verdict", "Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    MIXED = "mixed", _("Convicted of some charges")
    OTHER = "other", _("Other outcome")


class Scope(models.TextChoices):
    TRANSNATIONAL = "transnational", _("Transnational")
    INTERNAL = "internal", _("Internal")
    UNKNOWN = "unknown", _("Unknown")


class EvidentialIssue(models.TextChoices):
    """The issues of the digest (source report para 40)."""

    VICTIM_TESTIMONY = "victim_testimony", _("Victim testimony")
    NON_PUNISHMENT = "non_punishment", _("Non-punishment of victims")
    CONSENT_IRRELEVANT = "consent_irrelevant", _("Consent irrelevant")
    ABUSE_OF_VULNERABILITY = "abuse_of_vulnerability", _("Abuse of a position of vulnerability")
    CHILD_VICTIMS = "child_victims", _("Child victims")
    ARMED_CONFLICT = "armed_conflict", _("Exploitation in armed conflict")
    DIGITAL_EVIDENCE = "digital_evidence", _("Digital and financial evidence")
    COMPENSATION = "compensation", _("Compensation of victims")


class Language(models.TextChoices):
    """The language a decision is written in: the six UN languages, or another."""

    AR = "ar", "العربية"
    ZH = "zh", "中文"
    EN = "en", "English"
    FR = "fr", "Français"
    RU = "ru", "Русский"
    ES = "es", "Español"
    OTHER = "other", _("Other")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("decision", "Published")


class CaselawAction(models.TextChoices):
    """Audit actions of the case law database."""

    DECISION_SAVED = "caselaw.decision_saved", _("Court decision saved")
    DECISION_PUBLISHED = "caselaw.decision_published", _("Court decision published")
    DECISIONS_IMPORTED = "caselaw.decisions_imported", _("Court decisions imported")
