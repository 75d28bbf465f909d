import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from ctip.core.codes import EntityKind, Role
from ctip.core.models import AuditEvent, Job
from ctip.core.testing import assert_access, make_entity, make_user, signed_in_client
from ctip.reports import services
from ctip.reports.codes import ReportAction, Section
from ctip.reports.content import build
from ctip.reports.models import Narrative, NarrativeVersion
from ctip.reports.pdf import pdf_bytes
from ctip.reports.tests.conftest import YEAR, docx_text, pdf_text
from ctip.reports.word import docx_bytes
from ctip.statistics import selectors as statistics

pytestmark = pytest.mark.django_db
TEXT = "In {year}, {victims_detected} victims were detected, {victims_female} of them female."


def approved(authors, text=TEXT, section=Section.VICTIMS, language="en") -> Narrative:
    writer, reviewer = authors
    saved = services.narrative_save(
        actor=writer, year=YEAR, section=section, language=language, text=text
    )
    return services.narrative_approve(actor=reviewer, narrative=saved, version=saved.version)


# --- texts: placeholders, versions, four eyes -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{victims_detcted} victims", "Unknown figures: {victims_detcted}"),
        ("{victims_detected.__class__}", "is not a figure's name"),
        ("{victims_detected!r}", "is not a figure's name"),
        ("{victims_detected:>20}", "is not a figure's name"),
        ("a brace { left open", "A brace is not closed"),
        ("   ", "Write the section's text."),
    ],
)
def test_a_text_with_a_wrong_figure_is_refused_naming_it(authors, text, message):
    with pytest.raises(ValidationError, match=message.replace("{", r"\{").replace("}", r"\}")):
        services.narrative_save(
            actor=authors[0], year=YEAR, section=Section.VICTIMS, language="en", text=text
        )
    assert not Narrative.objects.exists()


def test_a_text_is_printed_once_another_author_approves_it(published, authors):
    # given: a draft
    writer, reviewer = authors
    draft = services.narrative_save(
        actor=writer, year=YEAR, section=Section.VICTIMS, language="en", text=TEXT
    )
    assert "victims were detected" not in str(build(YEAR, "en").sections)
    # when: its writer tries to approve it, then another author does
    with pytest.raises(PermissionDenied):
        services.narrative_approve(actor=writer, narrative=draft, version=1)
    services.narrative_approve(actor=reviewer, narrative=draft, version=1)
    # then: the report prints it; a new draft leaves the approved text in print
    assert "victims were detected" in str(build(YEAR, "en").sections)
    services.narrative_save(
        actor=writer, year=YEAR, section=Section.VICTIMS, language="en", text="Zanzibarian {year}."
    )
    report = str(build(YEAR, "en").sections)
    assert "victims were detected" in report and "Zanzibarian" not in report
    assert list(NarrativeVersion.objects.values_list("version", "status")) == [
        (2, "draft"),
        (1, "approved"),
    ]
    events = AuditEvent.objects.filter(action__startswith="reports.").values_list(
        "action", flat=True
    )
    assert list(events) == [
        ReportAction.NARRATIVE_SAVED,
        ReportAction.NARRATIVE_APPROVED,
        ReportAction.NARRATIVE_SAVED,
    ]


def test_an_approval_of_a_version_changed_since_it_was_read_is_refused(authors):
    writer, reviewer = authors
    services.narrative_save(actor=writer, year=YEAR, section="victims", language="en", text="A.")
    again = services.narrative_save(
        actor=writer, year=YEAR, section="victims", language="en", text="B."
    )
    with pytest.raises(ValidationError, match="changed since you read it"):
        services.narrative_approve(actor=reviewer, narrative=again, version=1)


def test_a_save_rolls_back_with_its_audit_event(authors, audit_fails):
    with pytest.raises(audit_fails):
        services.narrative_save(
            actor=authors[0], year=YEAR, section="victims", language="en", text="A {year}."
        )
    assert not Narrative.objects.exists() and not NarrativeVersion.objects.exists()


def test_authors_are_analysts_and_administrators_of_the_un_system(actors):
    state = make_user(make_entity(kind=EntityKind.MEMBER_STATE), Role.ANALYST)
    for outsider in (state, actors.by_role[Role.CASEWORKER], actors.by_role[Role.LEGAL_OFFICER]):
        with pytest.raises(PermissionDenied):
            services.narrative_save(
                actor=outsider, year=YEAR, section="victims", language="en", text="A."
            )


# --- figures ----------------------------------------------------------------------------------


def test_the_report_prints_the_release_as_published_with_each_cells_source(published, authors):
    # given: the release's world cells, as the public API gives them
    approved(authors)
    release = statistics.latest_release(year=YEAR)
    world = {
        (c.sex, c.age): c.shown
        for c in statistics.release_cells(release)
        if (c.area, c.dimension, c.indicator) == ("001", "Total", "Detected trafficking victims")
    }
    # when
    report = build(YEAR, "en")
    # then: the text carries the published values, the hidden cell as published
    (victims,) = [s for s in report.sections if s.title == "Detected victims"]
    runs = victims.paragraphs[0]
    figures = [run for run in runs if run.note]
    assert [f.text for f in figures] == [
        str(YEAR),
        world[("_T", "_T")].text,
        world[("F", "_T")].text,
    ]
    assert world[("_T", "_T")].text == "15" and world[("M", "_T")].suppressed
    table = victims.tables[0]
    assert table.rows[0][:4] == ["World", "15", world[("F", "_T")].text, world[("M", "_T")].text]
    assert world[("F", "_T")].suppressed  # 12 would give away the 3 men: hidden too
    source = report.notes[(figures[1].note or 0) - 1]
    assert "GLOTIP release 2025, version 1" in source
    assert "cell 001|Detected trafficking victims|_T|_T|Total|Total" in source


@pytest.mark.parametrize("language", ["en", "ar", "fr", "zh-hans", "ru", "es"])
def test_the_pdf_and_the_docx_carry_the_same_figures(published, authors, language):
    approved(authors, language=language)
    report = build(YEAR, language)
    pdf, docx = pdf_text(pdf_bytes(report)), docx_text(docx_bytes(report))
    assert pdf.startswith("") and "15" in pdf and "15" in docx
    for note_number, source in enumerate(report.notes, start=1):
        assert source in docx or source.replace(" ", "") in pdf.replace(" ", "").replace("\n", "")
        assert f"{note_number}. " in docx
    assert report.notes, "every report names its sources"


def test_arabic_is_laid_out_right_to_left(published, authors):
    import docx

    approved(authors, text="في {year}، {victims_detected} ضحية.", language="ar")
    document = docx.Document(io.BytesIO(docx_bytes(build(YEAR, "ar"))))
    xml = document.element.xml
    assert "<w:bidi/>" in xml and "<w:rtl/>" in xml and "<w:bidiVisual/>" in xml


def test_an_authors_markup_is_printed_as_text_never_run(published, authors):
    approved(authors, text='#set page(width: 2cm) $x^2$ #read("/etc/passwd") {year}')
    text = pdf_text(pdf_bytes(build(YEAR, "en")))
    assert '#read("/etc/passwd")' in text.replace("\n", " ") and "root:" not in text


def test_the_command_writes_each_format_and_refuses_what_it_cannot_make(published, tmp_path):
    out = io.StringIO()
    call_command(
        "annual_report", "--year", "2025", "--language", "fr", str(tmp_path / "r.docx"), stdout=out
    )
    assert "r.docx" in out.getvalue() and (tmp_path / "r.docx").read_bytes()[:2] == b"PK"
    call_command("annual_report", "--year", "2025", "--language", "ar", str(tmp_path / "r.pdf"))
    assert (tmp_path / "r.pdf").read_bytes()[:5] == b"%PDF-"
    with pytest.raises(CommandError, match=r"must end in \.pdf or \.docx"):
        call_command("annual_report", "--year", "2025", "--language", "en", str(tmp_path / "r.txt"))
    with pytest.raises(CommandError, match="2019 has no published GLOTIP release"):
        call_command("annual_report", "--year", "2019", "--language", "en", str(tmp_path / "r.pdf"))
    assert AuditEvent.objects.filter(action=ReportAction.REPORT_BUILT).count() == 2


# --- pages ------------------------------------------------------------------------------------


def test_an_author_writes_approves_and_builds_on_the_pages(
    published, actors, django_capture_on_commit_callbacks
):
    writer, reviewer = (
        signed_in_client(actors.by_role[Role.ANALYST]),
        signed_in_client(actors.by_role[Role.ADMINISTRATOR]),
    )
    url = f"/reports/{YEAR}/victims/fr/"
    page = writer.post(url, {"text": "{victims_detcted}"}).content.decode()
    assert "Unknown figures: {victims_detcted}" in page
    assert writer.post(url, {"text": "En {year}, {victims_detected} victimes."}).status_code == 302
    page = writer.get(url).content.decode()
    assert "{victims_detected}" in page and ">15<" in page.replace("<bdi>", "").replace(
        "</bdi>", "<"
    )
    assert 'data-testid="approve"' not in page  # nobody approves their own text
    assert reviewer.post(f"{url}approve/", {"version": "1"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        answer = writer.post(f"/reports/{YEAR}/build/", {"language": "fr", "output": "pdf"})
    job = Job.objects.get(kind=services.BUILD_JOB)
    assert answer["Location"] == f"/jobs/{job.pk}/"
    download = writer.get(f"/jobs/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content).replace("\n", " ")
    assert re.search(r"En 2025\d, 15\d victimes", text), text[:300]  # each figure's note after it
    assert reviewer.get(f"/jobs/{job.pk}/download/").status_code == 404  # the owner's only


def test_who_reaches_the_report_pages(published, actors):
    authors = {Role.ANALYST, Role.ADMINISTRATOR}
    for url in ("/reports/", f"/reports/{YEAR}/", f"/reports/{YEAR}/introduction/ar/"):
        assert_access(actors, url, allowed=authors, other_entity_sees=True)
    assert signed_in_client(actors.by_role[Role.ANALYST], verified=False).get(
        "/reports/"
    ).status_code in (302, 403)
    state = make_user(make_entity(kind=EntityKind.MEMBER_STATE), Role.ANALYST)
    assert signed_in_client(state).get("/reports/").status_code == 403
    client = signed_in_client(actors.by_role[Role.ANALYST])
    assert client.get(f"/reports/{YEAR}/nosuch/en/").status_code == 404
    assert client.get(f"/reports/{YEAR}/victims/xx/").status_code == 404
    assert client.get("/reports/2019/").status_code == 404
