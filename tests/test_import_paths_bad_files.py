"""Every import path, fed a broken file, answers with a message a person can act on (the row
and the field where there is one) and leaves the database as it was: never a traceback, never
half a file.

Paths: the statistics import page, its API and `import_records`; `import_screenings`;
`import_treaty_status`; `import_decisions`.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from ctip.caselaw.models import Decision
from ctip.cases.models import Screening
from ctip.core.codes import Role
from ctip.core.models import AuditEvent, ConflictSituation
from ctip.core.testing import signed_in_client, token_client
from ctip.countries.models import TreatyStatus
from ctip.statistics.models import AggregateValue, Submission, VictimRecord
from ctip.statistics.services import round_open

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
FORMULA = '=HYPERLINK("http://evil.example","open")'
CYRILLIC = "Москва"


@dataclass
class ImportPath:
    name: str
    header: list[str]
    row: list[str]
    text_column: str  # where a huge or formula value goes
    run: Callable[[object, bytes, Path], str]  # (actors, file, tmp) → what the person is told


def as_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def command_output(name: str, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        assert exit_.code == 1
    except Exception as error:  # CommandError is a clear message too; anything else fails
        from django.core.management.base import CommandError

        assert isinstance(error, CommandError), repr(error)
        return str(error)
    return out.getvalue() + err.getvalue()


def written_to(tmp: Path, data: bytes, suffix: str = ".csv") -> str:
    path = tmp / f"upload{suffix}"
    path.write_bytes(data)
    return str(path)


RECORD_HEADER = ["year_of_identification", "country_of_detection", "citizenship", "sex"]
RECORD_ROW = ["2025", "IRQ", "SYR", "F"]


def statistics_page(actors, data, _tmp):
    client = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    upload = SimpleUploadedFile("records.csv", data)
    page = client.post(reverse("statistics:import", args=[2025]), {"file": upload}, follow=True)
    assert page.status_code == 200
    return page.content.decode()


def statistics_api(actors, data, _tmp):
    client = token_client(actors.by_role[Role.FOCAL_POINT])
    answer = client.post(
        "/api/v1/statistics/rounds/2025/import", {"file": SimpleUploadedFile("r.csv", data)}
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert not body["ok"]
    return body["file_problem"] + " " + str(body["errors"])


def import_records(actors, data, tmp):
    return command_output(
        "import_records", written_to(tmp, data), "--entity", actors.entity.code, "--round", "2025"
    )


def import_screenings(actors, data, tmp):
    return command_output(
        "import_screenings", written_to(tmp, data), "--entity", actors.entity.code
    )


def import_treaty_status(actors, data, tmp):
    return command_output(
        "import_treaty_status", written_to(tmp, data), "--instrument", "UNTOC-TIP"
    )


def import_decisions(actors, data, tmp):
    return command_output("import_decisions", written_to(tmp, data), "--entity", actors.entity.code)


def screening_file() -> tuple[list[str], list[str]]:
    data = (FIXTURES / "odk" / "screenings_central.csv").read_bytes().decode()
    header, first, *_rest = csv.reader(io.StringIO(data, newline=""))
    return header, first


def decision_file() -> tuple[list[str], list[str]]:
    from ctip.caselaw.exports import COLUMNS, decision_row

    decision = Decision.objects.order_by("pk").first()
    row = decision_row(decision)
    Decision.objects.all().delete()  # the file is new to the database
    return COLUMNS, [str(row[c]) for c in COLUMNS]


@pytest.fixture
def world(actors, reference_data):
    round_open(actor=None, year=2025, deadline=date(2026, 6, 30))
    for name in (
        "Conflict with ISIL (Da'esh) in Iraq",
        "Armed conflict in the Central African Republic",
    ):
        ConflictSituation.objects.get_or_create(
            name=name, defaults={"start_date": date(2012, 1, 1)}
        )
    from ctip.caselaw.demo import DECISIONS
    from ctip.caselaw.services import decisions_import

    decisions_import(actor=None, entity=actors.entity, rows=DECISIONS[1:2])
    return actors


def paths() -> list[str]:
    return [
        "page",
        "api",
        "import_records",
        "import_screenings",
        "import_treaty_status",
        "import_decisions",
    ]


def import_path(name: str) -> ImportPath:
    if name in {"page", "api", "import_records"}:
        run = {"page": statistics_page, "api": statistics_api, "import_records": import_records}[
            name
        ]
        return ImportPath(name, RECORD_HEADER, RECORD_ROW, "citizenship", run)
    if name == "import_screenings":
        header, row = screening_file()
        return ImportPath(name, header, row, "place", import_screenings)
    if name == "import_treaty_status":
        header = ["Participant", "Signature", "Ratification, Accession(a)"]
        return ImportPath(
            name, header, ["Iraq", "", "9 Feb 2009 a"], "Participant", import_treaty_status
        )
    header, row = decision_file()
    return ImportPath(name, header, row, "title", import_decisions)


def with_value(path: ImportPath, value: str) -> list[str]:
    row = list(path.row)
    row[path.header.index(path.text_column)] = value
    return row


def bad_files(path: ImportPath) -> dict[str, tuple[bytes, list[str]]]:
    """Each broken file, with the words its message must hold (the row and the field)."""
    good_row = as_csv(path.header, [path.row])
    column = path.text_column
    return {
        "truncated": (good_row + b'"' + ",".join(path.row).encode()[:10], ["line 3"]),
        "garbage": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, ["line 1", "UTF-8"]),
        "wrong encoding": (
            as_csv(path.header, [with_value(path, "PLACEHOLDER")]).replace(
                b"PLACEHOLDER", CYRILLIC.encode("cp1251")
            ),
            ["line 2", "UTF-8"],
        ),
        "huge value": (as_csv(path.header, [with_value(path, "x" * 20_000)]), ["2", column]),
        "formula": (as_csv(path.header, [with_value(path, FORMULA)]), ["2", column]),
    }


def database_state() -> dict[str, int]:
    """The imported data, and the audit events of imports (a sign-in or a job is audited)."""
    models = (Submission, VictimRecord, AggregateValue, Screening, TreatyStatus, Decision)
    state = {model.__name__: model.objects.count() for model in models}
    state["imports audited"] = AuditEvent.objects.filter(action__contains="import").count()
    return state


@pytest.mark.parametrize("name", paths())
@pytest.mark.parametrize(
    "kind", ["truncated", "garbage", "wrong encoding", "huge value", "formula"]
)
def test_a_broken_file_gets_a_clear_answer_and_changes_nothing(world, tmp_path, name, kind):
    # given
    path = import_path(name)
    data, words = bad_files(path)[kind]
    before = database_state()
    # when
    told = path.run(world, data, tmp_path)
    # then
    assert "Traceback" not in told
    if kind == "formula" and name == "import_decisions":
        # case law keeps such text (its export protects it again): a round trip loses nothing
        assert Decision.objects.filter(**{path.text_column: FORMULA}).count() == 1
        return
    for word in words:
        assert word in told, (kind, name, told[:500])
    assert database_state() == before
