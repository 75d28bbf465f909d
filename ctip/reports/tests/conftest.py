import io

import pytest

from ctip.core.codes import Role
from ctip.core.testing import make_entity, make_user
from ctip.statistics import services
from ctip.statistics.importing import import_file
from ctip.statistics.models import Submission
from ctip.statistics.tests.conftest import ctip_csv

YEAR = 2025


@pytest.fixture
def published(reference_data):
    return a_published_release()


def a_published_release():
    """A published 2025 release: 12 women and girls from Syria and 3 men detected in Iraq,
    so the men (3 < 5) are hidden and so is what would give them away."""
    round_ = services.round_open(
        actor=None, year=YEAR, deadline=__import__("datetime").date(2026, 6, 30)
    )
    mission = make_entity("MINUSCA")
    focal = make_user(mission, Role.FOCAL_POINT)
    analyst = make_user(make_entity("CTIP"), Role.ANALYST)
    base = {"year_of_identification": YEAR, "country_of_detection": "IRQ"}
    rows = [{**base, "sex": "F", "citizenship": "SYR"}] * 12 + [{**base, "sex": "M"}] * 3
    assert import_file(
        actor=focal, entity=mission, round_=round_, data=ctip_csv(rows), filename="f.csv"
    ).ok
    submission = Submission.objects.get()
    services.submission_submit(actor=focal, submission=submission)
    services.submission_validate(actor=analyst, submission=submission)
    return services.round_publish(actor=analyst, round_=round_)


@pytest.fixture
def authors(actors):
    """Two authors of a UN mission: an analyst who writes, an administrator who approves."""
    return actors.by_role[Role.ANALYST], actors.by_role[Role.ADMINISTRATOR]


def pdf_text(data: bytes) -> str:
    """The text of a PDF, as a reader copies it out (a figure's note number follows it)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    """The text of a Word file: its paragraphs, then its tables' cells."""
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)
