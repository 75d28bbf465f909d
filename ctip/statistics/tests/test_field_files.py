"""Real CTDC and dataUNODC files (tests/fixtures/ctdc, tests/fixtures/dataunodc), and dry runs
that report what the real run would do."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from ctip.statistics.importing import import_file
from ctip.statistics.models import AggregateValue, Submission, VictimRecord
from ctip.statistics.services import round_open
from ctip.statistics.tests.conftest import ctip_csv

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"
CTDC = FIXTURES / "ctdc" / "ctdc_global_2023_2025.csv"
UNODC_TWICE = FIXTURES / "dataunodc" / "glotip_same_cell_twice.csv"


@pytest.fixture
def rounds_2023_to_2025(round_2025):
    round_open(actor=None, year=2023, deadline=date(2024, 6, 30))
    round_open(actor=None, year=2024, deadline=date(2025, 6, 30))
    return round_2025


def run(mission, round_, path_or_data, filename="", **kwargs):
    data = path_or_data.read_bytes() if isinstance(path_or_data, Path) else path_or_data
    return import_file(
        actor=mission["focal_point"],
        entity=mission["entity"],
        round_=round_,
        data=data,
        filename=filename or getattr(path_or_data, "name", "records.csv"),
        **kwargs,
    )


def test_a_multi_year_ctdc_file_puts_each_row_in_its_years_round(mission, rounds_2023_to_2025):
    # when
    result = run(mission, rounds_2023_to_2025, CTDC)
    # then
    assert result.ok, result.as_dict()
    assert result.rounds == [2023, 2024, 2025]
    assert result.submissions == [
        "MINUSCA/2023/POL",
        "MINUSCA/2024/ITA",
        "MINUSCA/2024/POL",
        "MINUSCA/2025/ITA",
    ]
    by_round = {
        (s.round.year, s.country_of_detection_id): s.records.count()
        for s in Submission.objects.select_related("round")
    }
    assert by_round == {(2023, "POL"): 2, (2024, "POL"): 1, (2024, "ITA"): 1, (2025, "ITA"): 2}
    assert {r.year_of_identification for r in VictimRecord.objects.all()} == {2023, 2024, 2025}


def test_unknown_citizenship_blank_or_00_is_kept_as_unknown(mission, rounds_2023_to_2025):
    assert run(mission, rounds_2023_to_2025, CTDC).ok
    unknown = VictimRecord.objects.filter(citizenship__isnull=True)
    assert unknown.count() == 3  # a blank and two “00”
    assert VictimRecord.objects.filter(citizenship="UKR").count() == 1


def test_a_year_without_a_round_is_an_error_naming_its_rows(mission, round_2025):
    # given: only the 2025 round is open
    # when
    result = run(mission, round_2025, CTDC)
    # then
    years = {(e.row, e.column) for e in result.errors}
    assert years == {(n, "yearOfRegistration") for n in (2, 3, 4, 5)}
    assert "2025" in result.errors[0].expected
    assert not VictimRecord.objects.exists() and not Submission.objects.exists()


def test_importing_the_file_again_changes_nothing(mission, rounds_2023_to_2025):
    run(mission, rounds_2023_to_2025, CTDC)
    again = run(mission, rounds_2023_to_2025, CTDC)
    assert (again.created, again.updated) == (0, 6)
    assert VictimRecord.objects.count() == 6


def test_a_ctdc_file_without_means_columns_imports(mission, round_2025):
    result = run(mission, round_2025, FIXTURES / "ctdc" / "ctdc_without_means.csv")
    assert result.ok, result.as_dict()
    assert sorted(r.forms for r in VictimRecord.objects.all()) == [
        ["ForcedLabour"],
        ["SexualExploitation"],
    ]
    assert all(r.means == [] for r in VictimRecord.objects.all())


def test_an_unknown_country_of_exploitation_names_the_way_out(mission, round_2025):
    data = (FIXTURES / "ctdc" / "ctdc_without_means.csv").read_bytes().replace(b",PL,", b",00,", 1)
    refused = run(mission, round_2025, data, "ctdc.csv")
    assert [(e.row, e.column) for e in refused.errors] == [(2, "CountryOfExploitation")]
    assert "--country" in refused.errors[0].expected
    accepted = run(mission, round_2025, data, "ctdc.csv", default_country="POL")
    assert accepted.ok and accepted.submissions == ["MINUSCA/2025/POL"]


def test_the_same_dataunodc_cell_twice_is_an_error_on_each_repeat(mission, round_2025):
    # when
    result = run(mission, round_2025, UNODC_TWICE)
    # then: rows 4 and 6 repeat rows 2 and 3; nothing is written
    assert [(e.row, "row 2" in e.expected or "row 3" in e.expected) for e in result.errors] == [
        (4, True),
        (6, True),
    ]
    assert "row 2" in result.errors[0].expected and "row 3" in result.errors[1].expected
    assert not AggregateValue.objects.exists() and not Submission.objects.exists()


def test_a_semicolon_file_from_a_european_excel_imports(mission, round_2025):
    data = ctip_csv([{"year_of_identification": 2025, "country_of_detection": "IRQ"}])
    result = run(mission, round_2025, data.replace(b",", b";"))
    assert result.ok and result.created == 1, result.as_dict()


# --- dry runs report what the real run would do ----------------------------------------------


def outcome(result):
    return (result.ok, result.rows, result.created, result.updated, result.submissions)


@pytest.mark.parametrize("path", [CTDC, FIXTURES / "ctdc" / "ctdc_without_means.csv"])
def test_a_dry_run_of_records_reports_the_real_runs_counts(mission, rounds_2023_to_2025, path):
    # when
    dry = run(mission, rounds_2023_to_2025, path, dry_run=True)
    # then: nothing written, the same report as the real run
    assert not Submission.objects.exists() and not VictimRecord.objects.exists()
    real = run(mission, rounds_2023_to_2025, path)
    assert outcome(dry)[1:] == outcome(real)[1:] and dry.created > 0
    again = run(mission, rounds_2023_to_2025, path, dry_run=True)
    assert (again.created, again.updated) == (0, real.created)


def test_a_dry_run_of_table_cells_reports_the_real_runs_counts(mission, round_2025):
    data = UNODC_TWICE.read_bytes().split(b"\r\n")
    good = b"\r\n".join([*data[:3], data[4], b""])  # the rows without a repeat
    dry = run(mission, round_2025, good, "unodc.csv", dry_run=True)
    assert not AggregateValue.objects.exists()
    real = run(mission, round_2025, good, "unodc.csv")
    assert outcome(dry)[1:] == outcome(real)[1:] and real.created == 3
    changed = good.replace(b",120,", b",121,")
    assert (run(mission, round_2025, changed, "u.csv", dry_run=True).updated) == 3


def test_the_commands_dry_run_prints_the_real_runs_counts(mission, rounds_2023_to_2025):
    def command(*extra):
        out = io.StringIO()
        call_command(
            "import_records",
            str(CTDC),
            "--entity",
            "MINUSCA",
            "--round",
            "2025",
            *extra,
            stdout=out,
        )
        return out.getvalue()

    dry = command("--dry-run")
    assert "6 created, 0 updated" in dry and "MINUSCA/2023/POL" in dry
    assert "rounds 2023, 2024, 2025" in dry
    assert not VictimRecord.objects.exists()
    real = command()
    assert dry.split(": ", 1)[1] == real.split(": ", 1)[1]


def test_the_page_and_the_api_dry_run_show_the_real_runs_counts(actors, rounds_2023_to_2025):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from ctip.core.codes import Role
    from ctip.core.testing import signed_in_client, token_client

    focal = actors.by_role[Role.FOCAL_POINT]
    page = signed_in_client(focal).post(
        reverse("statistics:import", args=[2025]),
        {"file": SimpleUploadedFile("ctdc.csv", CTDC.read_bytes()), "dry_run": "on"},
        follow=True,
    )
    assert "importing would create 6 and update 0" in page.content.decode()
    answer = token_client(focal).post(
        "/api/v1/statistics/rounds/2025/import",
        {"file": SimpleUploadedFile("ctdc.csv", CTDC.read_bytes()), "dry_run": "true"},
    )
    body = answer.json()
    assert (body["created"], body["updated"], len(body["submissions"])) == (6, 0, 4)
    assert not VictimRecord.objects.exists()


def test_the_page_imports_a_ctdc_file_without_means_columns(actors, round_2025):
    # given: the file that raised IndexError, and a 500 on the page
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from ctip.core.codes import Role
    from ctip.core.testing import signed_in_client

    upload = SimpleUploadedFile(
        "ctdc.csv", (FIXTURES / "ctdc" / "ctdc_without_means.csv").read_bytes()
    )
    # when
    page = signed_in_client(actors.by_role[Role.FOCAL_POINT]).post(
        reverse("statistics:import", args=[2025]),
        {"file": upload, "import_at_once": "on"},
        follow=True,
    )
    # then
    assert page.status_code == 200 and "Imported 2 rows" in page.content.decode()
    assert VictimRecord.objects.count() == 2
