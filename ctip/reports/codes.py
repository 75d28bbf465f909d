"""Code lists of the annual report to the Security Council (../shared/MISSION.md M13)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The report's sections, in the order they are printed."""

    INTRODUCTION = "introduction", _("Introduction")
    VICTIMS = "victims", _("Detected victims")
    FLOWS = "flows", _("Trafficking flows")
    CONFLICT = "conflict", _("Trafficking in persons in armed conflict")
    FLOW_MONITORING = "flow_monitoring", _("Flow monitoring surveys")
    CONDUCT = "conduct", _("Sexual exploitation and abuse")
    CASE_LAW = "case_law", _("Case law")
    TREATIES = "treaties", _("Ratification and national responses")
    FUNDS = "funds", _("Trust funds")
    EARLY_WARNING = "early_warning", _("Early warning")
    RECOMMENDATIONS = "recommendations", _("Recommendations")


class NarrativeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class OutputFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX (Word)"


class ReportAction(models.TextChoices):
    """Audit actions of the annual report."""

    NARRATIVE_SAVED = "reports.narrative_saved", _("Report text saved")
    NARRATIVE_APPROVED = "reports.narrative_approved", _("Report text approved")
    REPORT_BUILT = "reports.report_built", _("Annual report built")
