"""Issue 18, files attached to a case: judged by their content, encrypted at rest (name,
description, content), never on the disk in clear, each download audited, deleted by the
uploader or a focal point, gone at the end of retention."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ctip.cases import services
from ctip.cases.codes import CasesAction
from ctip.cases.models import Case, CaseAttachment, CaseAttachmentContent, CaseEvent
from ctip.cases.services.attachments import download_name, sniff
from ctip.cases.tests.builders import a_case
from ctip.cases.uploads import HANDLER
from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import confirmed_device, make_user, signed_in_client

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\nMedical report of Amina Y., clinic of Kano\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run"
NAME = "Amina Y. medical report.pdf"


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


def raw_column(table: str, column: str, pk_name: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {pk_name} = %s", [pk])  # noqa: S608
        return " ".join(str(row[0]) for row in cursor.fetchall())


def upload(client, case: Case, content: bytes = PDF, name: str = NAME, description: str = ""):
    return client.post(
        reverse("cases:attachment_add", args=[case.pk]),
        {"file": SimpleUploadedFile(name, content), "description": description},
        follow=True,
    )


def download(client, attachment: CaseAttachment):
    return client.post(reverse("cases:attachment", args=[attachment.case_id, attachment.pk]))


# --- adding, listing, downloading ---------------------------------------------------------------


def test_a_file_is_attached_encrypted_listed_and_its_download_audited(worker):
    # given a case
    case = a_case(worker)
    client = signed_in_client(worker)
    # when the caseworker attaches a medical report
    page = upload(client, case, description="Report from the clinic in Kano")
    # then it is stored, every part of it encrypted
    attachment = CaseAttachment.objects.get()
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF))
    stored = raw_column("cases_caseattachment", "name", "id", attachment.pk)
    stored += raw_column("cases_caseattachment", "description", "id", attachment.pk)
    stored += raw_column("cases_caseattachmentcontent", "content", "attachment_id", attachment.pk)
    for clear in ("Amina", "Kano", "clinic", base64.b64encode(PDF).decode()[:40]):
        assert clear not in stored, clear
    # the case page lists it (name, type, size, who), and is not cached
    html = page.content.decode()
    files = html.split('data-testid="attachments"')[1].split("</section>")[0]
    assert NAME in files and "PDF document" in files and worker.full_name in files
    assert "bytes" in files  # its size
    assert "no-store" in page["Cache-Control"]
    assert CaseEvent.objects.filter(case=case, kind="attachment_added").exists()
    added = AuditEvent.objects.get(action=CasesAction.ATTACHMENT_ADDED)
    assert added.details == {
        "attachment": attachment.pk,
        "type": "application/pdf",
        "size": len(PDF),
    }
    # when it is downloaded
    response = download(client, attachment)
    # then the file comes back as it was, to be saved, never kept
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Amina" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # and the audit log says who downloaded which file, never its name
    read = AuditEvent.objects.get(action=CasesAction.ATTACHMENT_DOWNLOADED)
    assert read.actor == worker and read.details == {"attachment": attachment.pk}
    assert "Amina" not in str(added.details) + str(read.details)


@pytest.mark.parametrize(
    "content, name, kind",
    [
        (PDF, "scan.bin", "application/pdf"),
        (JPEG, "photo.pdf", "image/jpeg"),
        (PNG, "photo", "image/png"),
        ("Notes from the interview, é à ü\n".encode(), "notes.txt", "text/plain"),
    ],
)
def test_a_file_is_typed_by_its_content_not_its_name(worker, content, name, kind):
    case = a_case(worker)
    attachment = services.attachment_add(actor=worker, case=case, name=name, content=content)
    assert attachment.content_type == kind


@pytest.mark.parametrize(
    "content",
    [
        EXE,  # a program renamed .pdf
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",  # a zip (an office document)
        b"\x00\x01\x02 binary",
        b"\xff\xfe not UTF-8 \xc3",
        b"",
    ],
)
def test_anything_else_is_refused_with_a_reason(worker, content):
    case = a_case(worker)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=worker, case=case, name="report.pdf", content=content)
    assert set(error.value.message_dict) == {"file"}
    assert not CaseAttachment.objects.exists() and not CaseAttachmentContent.objects.exists()


def test_the_page_says_why_a_program_renamed_pdf_is_refused(worker):
    case = a_case(worker)
    page = upload(signed_in_client(worker), case, content=EXE, name="report.pdf")
    assert "not a PDF, a JPEG or PNG image, or plain text" in page.content.decode()
    assert not CaseAttachment.objects.exists()


def test_sniffing_and_the_name_a_download_is_saved_under():
    assert sniff(PDF) == "application/pdf" and sniff(EXE) is None
    assert download_name("page.html", "text/plain") == "page.html.txt"
    assert download_name("scan.PDF", "application/pdf") == "scan.PDF"
    assert download_name("photo", "image/jpeg") == "photo.jpg"


def test_a_text_file_named_html_is_saved_as_text(worker):
    case = a_case(worker)
    services.attachment_add(
        actor=worker, case=case, name="../../page.html", content=b"<script>x</script>"
    )
    response = download(signed_in_client(worker), CaseAttachment.objects.get())
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert 'filename="page.html.txt"' in response["Content-Disposition"]


# --- size, and never on the disk ----------------------------------------------------------------


@pytest.fixture
def no_temporary_files(monkeypatch):
    """Fail if Django's temporary-file upload handler would write an upload to the disk."""
    import django.core.files.uploadhandler as handlers

    written: list[str] = []

    def refuse(*args, **kwargs):
        written.append(str(args[:1]))
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(handlers, "TemporaryUploadedFile", refuse)
    return written


def test_an_attachment_never_goes_to_a_temporary_file(worker, settings, no_temporary_files):
    # given Django would write any upload above 1 KB to a temporary file
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    assert django_settings.FILE_UPLOAD_HANDLERS[0] == HANDLER
    case = a_case(worker)
    big = PDF + b"0" * 200_000
    # when a 200 KB report is attached
    page = upload(signed_in_client(worker), case, content=big)
    # then it is stored, and was never on the disk
    assert page.status_code == 200 and not no_temporary_files
    assert services.attachment_read(actor=worker, attachment=CaseAttachment.objects.get()).content
    assert CaseAttachment.objects.get().size == len(big)


def test_a_file_over_the_limit_is_refused_and_never_kept(worker, settings, no_temporary_files):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.CTIP_CASE_ATTACHMENT_MAX_BYTES = 10_000
    case = a_case(worker)
    page = upload(signed_in_client(worker), case, content=PDF + b"0" * 20_000)
    assert "The file is larger than" in page.content.decode()
    assert not CaseAttachment.objects.exists() and not no_temporary_files
    with pytest.raises(ValidationError):
        services.attachment_add(actor=worker, case=case, name="a.pdf", content=PDF * 200)


# --- who may ------------------------------------------------------------------------------------


def test_another_entity_gets_404_and_a_colleague_not_assigned_no_file(actors, worker):
    case = a_case(worker)
    attachment = services.attachment_add(actor=worker, case=case, name=NAME, content=PDF)
    delete = reverse("cases:attachment_delete", args=[case.pk, attachment.pk])
    for other in (actors.other_by_role[Role.FOCAL_POINT], actors.other_by_role[Role.CASEWORKER]):
        client = signed_in_client(other)
        response = client.post(
            reverse("cases:attachment_add", args=[case.pk]),
            {"file": SimpleUploadedFile("x.pdf", PDF)},
        )
        assert response.status_code == 404
        assert download(client, attachment).status_code == 404
        assert client.post(delete).status_code == 404
    assert CaseAttachment.objects.count() == 1
    assert signed_in_client(actors.by_role[Role.ANALYST]).post(delete).status_code == 403
    # a caseworker of the entity not assigned sees that there is a file, not its name
    colleague = make_user(actors.entity, Role.CASEWORKER)
    html = signed_in_client(colleague).get(reverse("cases:detail", args=[case.pk])).content
    assert b"PDF document" in html and b"Amina" not in html
    assert download(signed_in_client(colleague), attachment).status_code == 404
    for service in (services.attachment_read, services.attachment_delete):
        with pytest.raises(Exception) as error:
            service(actor=colleague, attachment=attachment)
        assert error.type.__name__ == "Http404"
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=actors.by_role[Role.ANALYST], case=case, name="a.pdf", content=PDF
        )
    assert not AuditEvent.objects.filter(action=CasesAction.ATTACHMENT_DOWNLOADED).exists()


def test_a_session_without_its_second_factor_gets_nothing(worker):
    case = a_case(worker)
    attachment = services.attachment_add(actor=worker, case=case, name=NAME, content=PDF)
    confirmed_device(worker)
    client = signed_in_client(worker, verified=False)
    for response in (
        download(client, attachment),
        client.post(
            reverse("cases:attachment_add", args=[case.pk]),
            {"file": SimpleUploadedFile("x.pdf", PDF)},
        ),
    ):
        assert response.status_code == 302 and "/accounts/otp/" in response["Location"]
        assert PDF not in response.content
    assert CaseAttachment.objects.count() == 1
    assert not AuditEvent.objects.filter(action=CasesAction.ATTACHMENT_DOWNLOADED).exists()


def test_a_file_is_deleted_by_its_uploader_or_a_focal_point(actors, worker, focal):
    case = a_case(worker)
    mine = services.attachment_add(actor=worker, case=case, name="a.pdf", content=PDF)
    theirs = services.attachment_add(actor=focal, case=case, name="b.pdf", content=PDF)
    # the caseworker may not delete the focal point's file
    with pytest.raises(ValidationError):
        services.attachment_delete(actor=worker, attachment=theirs)
    html = signed_in_client(worker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert html.count('data-testid="delete-attachment"') == 1
    # the uploader deletes theirs on the page: the row and its content are gone
    client = signed_in_client(worker)
    client.post(reverse("cases:attachment_delete", args=[case.pk, mine.pk]))
    assert list(CaseAttachment.objects.all()) == [theirs]
    assert not CaseAttachmentContent.objects.filter(attachment_id=mine.pk).exists()
    assert download(client, mine).status_code == 404
    # a focal point deletes anyone's
    services.attachment_delete(actor=focal, attachment=theirs)
    assert not CaseAttachment.objects.exists() and not CaseAttachmentContent.objects.exists()
    deleted = AuditEvent.objects.filter(action=CasesAction.ATTACHMENT_DELETED)
    assert [e.actor for e in deleted.order_by("pk")] == [worker, focal]
    assert CaseEvent.objects.filter(case=case, kind="attachment_deleted").count() == 2


# --- the audit, and the end of retention ----------------------------------------------------------


def test_a_failed_audit_write_leaves_no_file_and_gives_none(worker, request):
    case = a_case(worker)
    kept = services.attachment_add(actor=worker, case=case, name="a.pdf", content=PDF)
    audit_fails = request.getfixturevalue("audit_fails")
    with pytest.raises(audit_fails):
        services.attachment_add(actor=worker, case=case, name="b.pdf", content=PDF)
    with pytest.raises(audit_fails):
        services.attachment_read(actor=worker, attachment=kept)
    with pytest.raises(audit_fails):
        services.attachment_delete(actor=worker, attachment=kept)
    assert list(CaseAttachment.objects.all()) == [kept]
    assert CaseAttachmentContent.objects.count() == 1
    assert not CaseEvent.objects.filter(case=case, kind="attachment_deleted").exists()


def test_the_purge_deletes_the_files_of_purged_cases(worker, focal):
    purged, kept = a_case(worker), a_case(worker, names="B. K.")
    services.attachment_add(actor=worker, case=purged, name=NAME, content=PDF)
    other = services.attachment_add(actor=worker, case=kept, name="b.pdf", content=PDF)
    services.case_set_status(actor=focal, case=purged, status="closed")
    Case.objects.filter(pk=purged.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=9999)
    )
    assert services.identities_purge() == 1
    assert list(CaseAttachment.objects.all()) == [other]
    assert list(CaseAttachmentContent.objects.values_list("attachment_id", flat=True)) == [other.pk]
    with pytest.raises(ValidationError):  # and no new file on a purged case
        services.attachment_add(
            actor=worker, case=Case.objects.get(pk=purged.pk), name="c.pdf", content=PDF
        )
