"""Files attached to a case: a scanned document, a medical report, a photo. They name and
show the person, so they are kept like the notes: encrypted at rest (the original name, the
description and the content), added, listed by name and downloaded by those who read the
notes, each download audited (who, which file), deleted by the uploader or a focal point,
and gone with the identity at the end of retention.

A file is taken only if its content is a PDF, a JPEG, a PNG or plain text (its first bytes,
never its name: an .exe renamed .pdf is refused), up to CTIP_CASE_ATTACHMENT_MAX_BYTES. The
upload never touches the disk in clear: `ctip.cases.uploads` keeps it in memory."""

from __future__ import annotations

import base64
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ctip.cases import policies
from ctip.cases.codes import AttachmentType, CaseEventKind, CasesAction
from ctip.cases.models import Case, CaseAttachment, CaseAttachmentContent
from ctip.cases.services.common import case_event
from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.core.policies import not_found

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NAME_LIMIT = 200
DESCRIPTION_LIMIT = 1_000
# the first bytes of each type taken; plain text has none (see `_is_plain_text`)
MAGIC = (
    (b"%PDF-", AttachmentType.PDF),
    (b"\xff\xd8\xff", AttachmentType.JPEG),
    (b"\x89PNG\r\n\x1a\n", AttachmentType.PNG),
)
EXTENSIONS = {
    AttachmentType.PDF: (".pdf",),
    AttachmentType.JPEG: (".jpg", ".jpeg"),
    AttachmentType.PNG: (".png",),
    AttachmentType.TEXT: (".txt",),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # never in text a person wrote


def max_bytes() -> int:
    """The largest file a case takes (CTIP_CASE_ATTACHMENT_MAX_BYTES, 10 MB by default)."""
    return int(getattr(settings, "CTIP_CASE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def too_large_message() -> str:
    return _("The file is larger than %(size)s: scan it again at a lower resolution.") % {
        "size": filesizeformat(max_bytes())
    }


def _is_plain_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _CONTROL.search(text) is None


def sniff(content: bytes) -> str | None:
    """The type of a file by its first bytes, or None when it is none of those taken."""
    for magic, kind in MAGIC:
        if content.startswith(magic):
            return kind
    return AttachmentType.TEXT if _is_plain_text(content) else None


def clean_name(raw: str) -> str:
    """The file's own name, without the folders a browser may send or control characters."""
    name = re.split(r"[/\\]", str(raw or ""))[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    return name[:NAME_LIMIT] or _("file")


def download_name(name: str, content_type: str) -> str:
    """The name to save a download under: its extension says what the content is (a text
    file named `.html` is saved as `.html.txt`, so no program takes it for a page)."""
    extensions = EXTENSIONS.get(AttachmentType(content_type), ()) if content_type else ()
    if extensions and not name.lower().endswith(extensions):
        return f"{name}{extensions[0]}"
    return name


def _require_attach(actor: User, case: Case) -> None:
    policies.require_field_staff(actor)
    if not policies.may_attach(actor, case):
        raise not_found()


@transaction.atomic
def attachment_add(
    *, actor: User, case: Case, name: str, content: bytes, description: str = ""
) -> CaseAttachment:
    """Attach a file to a case, for those who read its notes; refused, with the reason,
    when its content is not a type taken, when it is empty or too large."""
    _require_attach(actor, case)
    if case.identity_purged_at:
        raise ValidationError(_("The identity of this case was deleted: no more files."))
    errors: dict[str, str] = {}
    limit = max_bytes()
    content_type = None
    if not content:
        errors["file"] = _("The file is empty.")
    elif len(content) > limit:
        errors["file"] = too_large_message()
    else:
        content_type = sniff(content)
        if content_type is None:
            errors["file"] = _(
                "This file is not a PDF, a JPEG or PNG image, or plain text: its content "
                "says so, whatever its name. Scan or save it as one of these."
            )
    description = str(description or "").strip()
    if len(description) > DESCRIPTION_LIMIT:  # refused, not cut
        errors["description"] = _("At most %(n)s characters.") % {"n": f"{DESCRIPTION_LIMIT:,}"}
    if errors or content_type is None:
        raise ValidationError(errors)
    attachment = CaseAttachment.objects.create(
        case=case,
        name=clean_name(name),
        description=description,
        content_type=content_type,
        size=len(content),
        uploaded_by=actor,
    )
    CaseAttachmentContent.objects.create(
        attachment=attachment, content=base64.b64encode(content).decode("ascii")
    )
    case_event(case, CaseEventKind.ATTACHMENT_ADDED, actor)
    audit_record(
        actor=actor,
        action=CasesAction.ATTACHMENT_ADDED,
        target=case,
        details={"attachment": attachment.pk, "type": content_type, "size": len(content)},
    )
    return attachment


@dataclass
class AttachmentFile:
    """A file to send in the response being built, never to keep."""

    name: str  # to save it under (`download_name`)
    content_type: str
    content: bytes


@transaction.atomic
def attachment_read(*, actor: User, attachment: CaseAttachment) -> AttachmentFile:
    """The audited download of one file (who, which file; never its name or content)."""
    _require_attach(actor, attachment.case)
    stored = CaseAttachmentContent.objects.filter(attachment_id=attachment.pk).first()
    if stored is None:
        raise not_found()
    audit_record(
        actor=actor,
        action=CasesAction.ATTACHMENT_DOWNLOADED,
        target=attachment.case,
        details={"attachment": attachment.pk},
    )
    name = CaseAttachment.objects.values_list("name", flat=True).get(pk=attachment.pk)
    return AttachmentFile(
        download_name(name, attachment.content_type),
        attachment.content_type,
        base64.b64decode(stored.content),
    )


@transaction.atomic
def attachment_delete(*, actor: User, attachment: CaseAttachment) -> None:
    """Delete a file (the row and its content), by its uploader or a focal point."""
    case = attachment.case
    _require_attach(actor, case)
    if not policies.may_delete_attachment(actor, attachment):
        raise ValidationError(_("Only who attached the file or a focal point deletes it."))
    pk, content_type = attachment.pk, attachment.content_type
    CaseAttachment.objects.filter(pk=pk).delete()
    case_event(case, CaseEventKind.ATTACHMENT_DELETED, actor)
    audit_record(
        actor=actor,
        action=CasesAction.ATTACHMENT_DELETED,
        target=case,
        details={"attachment": pk, "type": content_type},
    )


def attachments_of(*, case: Case) -> list[CaseAttachment]:
    """For `case_work_read`, which checked the reader and audits: a case's files with their
    names and descriptions, never their content."""
    return list(CaseAttachment.objects.filter(case=case).select_related("uploaded_by"))


def attachments_purge(*, case: Case) -> int:
    """For `identities_purge`, which audits: a purged case's files go with its identity."""
    _total, by_model = CaseAttachment.objects.filter(case_id=case.pk).delete()
    return by_model.get(CaseAttachment._meta.label, 0)
