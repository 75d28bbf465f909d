"""Code lists of GLOTIP-framework reporting, in the dataUNODC long format's own words."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Indicator(models.TextChoices):
    """dataUNODC GLOTIP indicators; the value is the exact indicator name used there."""

    DETECTED_VICTIMS = "Detected trafficking victims", _("Detected trafficking victims")
    FORMAL_CONTACT = "Persons brought into formal contact", _("Persons brought into formal contact")
    PROSECUTED = "Persons prosecuted", _("Persons prosecuted")
    CONVICTED = "Persons convicted", _("Persons convicted")


class Dimension(models.TextChoices):
    TOTAL = "Total", _("Total")
    FORM_OF_EXPLOITATION = "Form of exploitation", _("Form of exploitation")
    CITIZENSHIP = "Citizenship", _("Citizenship")
    CONFLICT = "Conflict", _("Conflict link")


# Categories of the Citizenship dimension besides a country's ISO alpha-3 code.
NATIONALS = "Nationals"
FOREIGNERS = "Foreigners"
CONFLICT_RELATED = "Conflict-related"
TOTAL = "Total"
# The words for those categories (and "Unknown", figures.UNKNOWN) on pages.
CATEGORY_NAMES = {
    TOTAL: _("Total"),
    NATIONALS: _("Nationals"),
    FOREIGNERS: _("Foreigners"),
    "Unknown": _("Unknown"),
    CONFLICT_RELATED: _("Conflict-related"),
}


class FlowKind(models.TextChoices):
    """Where a flow goes, as the Global Report on Trafficking in Persons classes it."""

    DOMESTIC = "domestic", _("Domestic")
    SUBREGIONAL = "sub-regional", _("Within the sub-region")
    REGIONAL = "regional", _("Within the region")
    TRANSREGIONAL = "trans-regional", _("Between regions")


class ValueStatus(models.TextChoices):
    """Zero is not blank: what an empty cell means is stored, and exported as an OBS_STATUS."""

    REPORTED = "reported", _("Reported")
    NOT_REPORTED = "not_reported", _("Not reported")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    VALIDATED = "validated", _("Validated")
    PUBLISHED = "published", pgettext_lazy("submission", "Published")


class RoundState(models.TextChoices):
    """A round's life: open to submissions, closed to them while analysts validate, then
    published (a correction publishes a new version; nothing reopens it)."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed for submissions")
    PUBLISHED = "published", pgettext_lazy("round", "Published")


class StatisticsAction(models.TextChoices):
    """Audit actions of the statistics app."""

    ROUND_OPENED = "statistics.round_opened", _("Reporting round opened")
    ROUND_CLOSED = "statistics.round_closed", _("Reporting round closed for submissions")
    ROUND_REOPENED = "statistics.round_reopened", _("Reporting round reopened")
    IMPORTED = "statistics.imported", _("Data imported")
    CELL_EDITED = "statistics.cell_edited", _("Table cell edited")
    SUBMITTED = "statistics.submitted", _("Submission submitted")
    RETURNED = "statistics.returned", _("Submission returned")
    VALIDATED = "statistics.validated", _("Submission validated")
    WARNING_EXPLAINED = "statistics.warning_explained", _("Validation warning explained")
    PUBLISHED = "statistics.published", _("Round published")
    EXPORTED = "statistics.exported", _("Statistics exported")
    DEDUP_RUN = "statistics.dedup_run", _("Duplicate search run")
    DEDUP_DECIDED = "statistics.dedup_decided", _("Duplicate cluster decided")
    DEDUP_UNDONE = "statistics.dedup_undone", _("Duplicate cluster decision undone")
    EXPECTED_CHANGED = "statistics.expected_changed", _("Expected submissions changed")
    SUBMISSION_STARTED = "statistics.submission_started", _("Submission started")
    RECORD_SAVED = "statistics.record_saved", _("Victim record saved from a case")
    RECORDS_DELETED = "statistics.records_deleted", _("Victim records of a submission deleted")
