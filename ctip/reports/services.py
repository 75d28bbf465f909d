"""Writes of the annual report: its texts (saved in versions, approved by a second author)
and its builds (a background job that renders the PDF or the DOCX)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core import services as core_services
from ctip.core.audit import audit_record
from ctip.core.models import Job, User
from ctip.reports import figures, placeholders, policies
from ctip.reports.codes import NarrativeStatus, OutputFormat, ReportAction, Section
from ctip.reports.models import Narrative, NarrativeVersion

BUILD_JOB = "reports.build"
MAX_TEXT_CHARS = 20_000
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def clean_text(*, section: str, text: str) -> str:
    """The text as it will be kept; ValidationError naming what is wrong."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Write the section's text.")})
    if any((ord(c) < 32 and c not in "\n\t") or ord(c) == 127 for c in text):
        raise ValidationError(
            {
                "text": _(
                    "The text holds a control character (such as a manual line break): "
                    "retype the line where it is."
                )
            }
        )
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(
            {"text": _("At most %(n)s characters.") % {"n": f"{MAX_TEXT_CHARS:,}"}}
        )
    try:
        placeholders.check(text, figures.names_of(section))
    except ValidationError as error:
        raise ValidationError({"text": error.messages}) from None
    return text


def _check_choice(*, year: int, section: str, language: str) -> None:
    if section not in Section.values or language not in LANGUAGES or not 1990 <= year <= 2100:
        raise ValidationError(_("Unknown section, language or year."))


@transaction.atomic
def narrative_save(*, actor: User, year: int, section: str, language: str, text: str) -> Narrative:
    """Save a new version of a section's text in one language, as a draft: the report goes
    on printing the approved version until another author approves this one."""
    policies.require_author(actor)
    _check_choice(year=year, section=section, language=language)
    text = clean_text(section=section, text=text)
    narrative = (
        Narrative.objects.select_for_update()
        .filter(year=year, section=section, language=language)
        .first()
    )
    if narrative is None:
        narrative = Narrative(year=year, section=section, language=language, version=0)
    elif narrative.text == text:
        return narrative
    narrative.text = text
    narrative.version += 1
    narrative.status = NarrativeStatus.DRAFT
    narrative.updated_by, narrative.updated_at = actor, timezone.now()
    narrative.save()
    NarrativeVersion.objects.create(
        narrative=narrative,
        version=narrative.version,
        text=text,
        status=NarrativeStatus.DRAFT,
        saved_by=actor,
    )
    audit_record(
        actor=actor,
        action=ReportAction.NARRATIVE_SAVED,
        target=narrative,
        details={
            "year": year,
            "section": section,
            "language": language,
            "version": narrative.version,
        },
    )
    return narrative


@transaction.atomic
def narrative_approve(*, actor: User, narrative: Narrative, version: int) -> Narrative:
    """Approve the version the approver read (`version`), if it is still the latest."""
    policies.require_author(actor)
    narrative = Narrative.objects.select_for_update().get(pk=narrative.pk)
    if narrative.version != version:
        raise ValidationError(
            _("The text changed since you read it (now version %(v)s): read it again.")
            % {"v": narrative.version}
        )
    if narrative.status == NarrativeStatus.APPROVED:
        raise ValidationError(_("This version is already approved."))
    if not policies.may_approve(actor, narrative):
        raise PermissionDenied(_("Another author reviews and approves your text."))
    narrative.status = NarrativeStatus.APPROVED
    narrative.approved_text, narrative.approved_version = narrative.text, narrative.version
    narrative.approved_by, narrative.approved_at = actor, timezone.now()
    narrative.save(
        update_fields=["status", "approved_text", "approved_version", "approved_by", "approved_at"]
    )
    NarrativeVersion.objects.filter(narrative=narrative, version=narrative.version).update(
        status=NarrativeStatus.APPROVED
    )
    audit_record(
        actor=actor,
        action=ReportAction.NARRATIVE_APPROVED,
        target=narrative,
        details={
            "year": narrative.year,
            "section": narrative.section,
            "language": narrative.language,
            "version": narrative.version,
        },
    )
    return narrative


def check_build(*, year: int, language: str, output: str) -> None:
    if language not in LANGUAGES:
        raise ValidationError(
            {"language": _("One of %(codes)s.") % {"codes": ", ".join(LANGUAGES)}}
        )
    if output not in OutputFormat.values:
        raise ValidationError({"output": _("PDF or DOCX.")})
    figures.require_release(year)


@transaction.atomic
def report_build_start(
    *, actor: User, year: int, language: str, output: str, task: Any | None
) -> Job:
    """Queue a build of the year's report in one language and format (a background job)."""
    policies.require_author(actor)
    check_build(year=year, language=language, output=output)
    return core_services.job_start(
        actor=actor,
        kind=BUILD_JOB,
        parameters={"year": year, "language": language, "output": output},
        task=task,
    )
