"""Trust funds: grants imported all or none and idempotently, exported in the same columns,
the portfolio per country and year, who may see what, and the public page."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.http import Http404

from ctip.core.audit import AuditEvent
from ctip.core.codes import Role
from ctip.core.testing import make_user, signed_in_client, token_client
from ctip.funds import selectors, services
from ctip.funds.codes import FundsAction
from ctip.funds.models import Grant
from ctip.tabular import read_dicts

pytestmark = pytest.mark.django_db
FILE = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "funds" / "unvtf_grants.csv"


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


@pytest.fixture
def manager(actors):
    return make_user(actors.entity, Role.FUND_MANAGER)


@pytest.fixture
def fund(manager):
    return services.fund_save(
        actor=manager, raw={"code": "unvtf", "name": "UN VTF", "purpose": "trafficking"}
    )


def _rows(text: str):  # type: ignore[no-untyped-def]
    return read_dicts(text.encode(), "grants.csv", services.MAX_GRANT_ROWS)


def test_a_fund_systems_file_imports_once_and_again_changes_nothing(fund, manager):
    rows = read_dicts(FILE.read_bytes(), FILE.name, services.MAX_GRANT_ROWS)
    first = services.grants_import(fund=fund, rows=rows, actor=manager)
    assert (first.created, first.updated, first.errors) == (5, 0, [])
    grant = Grant.objects.get(grant_id="VTF-2026-003")
    assert grant.amount == Decimal("82500.50") and grant.country_id == "CAF"
    again = services.grants_import(fund=fund, rows=rows, actor=manager)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_export_then_import_is_a_round_trip(fund, manager, tmp_path):
    services.grants_import(
        fund=fund, rows=read_dicts(FILE.read_bytes(), FILE.name, 100), actor=manager
    )
    out = tmp_path / "grants.csv"
    call_command("export_grants", "--fund", "UNVTF", str(out), stdout=io.StringIO())
    report = services.grants_import(
        fund=fund, rows=read_dicts(out.read_bytes(), out.name, 100), actor=manager
    )
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    second = tmp_path / "again.csv"
    call_command("export_grants", "--fund", "UNVTF", str(second), stdout=io.StringIO())
    assert second.read_bytes() == out.read_bytes()
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == ",".join(services.COLUMNS)


def test_a_changed_row_updates_its_grant_and_is_audited(fund, manager):
    services.grants_import(fund=fund, rows=_rows(FILE.read_text()), actor=manager)
    changed = FILE.read_text().replace("75000.00,USD", "76000.00,USD")
    report = services.grants_import(fund=fund, rows=_rows(changed), actor=manager)
    assert (report.updated, report.unchanged) == (1, 4)
    assert Grant.objects.get(grant_id="VTF-2025-001").amount == Decimal("76000.00")
    event = AuditEvent.objects.filter(action=FundsAction.GRANTS_IMPORTED).order_by("-sequence")[0]
    assert event.details == {"created": 0, "updated": 1, "unchanged": 4}


BAD = """grant_id,grantee,country,amount,currency,start,end,status
G-1,Good NGO,NGA,1000.00,USD,2026-01-01,2026-12-31,active
G-2,=HYPERLINK("x"),XXX,"1,000",usd,2026-01-01,2025-12-31,open
G-1,Again,NGA,10.001,ZZZ,2026-02-30,2026-12-31,active
"""


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(fund, manager):
    report = services.grants_import(fund=fund, rows=_rows(BAD), actor=manager)
    named = {(e["row"], e["column"]) for e in report.errors}
    assert {(3, "grantee"), (3, "country"), (3, "amount"), (3, "end"), (3, "status")} <= named
    assert (4, "grant_id") in named  # the same id twice in the file
    assert (3, "currency") not in named  # "usd" is USD
    assert not Grant.objects.exists() and report.created == 0


def test_missing_and_unknown_columns_are_refused(fund, manager):
    report = services.grants_import(
        fund=fund, rows=_rows("grant_id,grantee,amount,colour\nA,B,1,red\n"), actor=manager
    )
    assert {e["column"] for e in report.errors} >= {"country", "currency", "start", "colour"}


def test_a_dry_run_writes_nothing(fund, manager):
    report = services.grants_import(
        fund=fund, rows=_rows(FILE.read_text()), actor=manager, dry_run=True
    )
    assert report.created == 5 and not Grant.objects.exists()


def test_an_import_that_cannot_audit_writes_nothing(fund, manager, audit_fails):
    from conftest import AuditWriteFailed

    with pytest.raises(AuditWriteFailed):
        services.grants_import(fund=fund, rows=_rows(FILE.read_text()), actor=manager)
    assert not Grant.objects.exists()


def test_the_command_imports_and_refuses_an_unknown_fund(fund):
    out = io.StringIO()
    call_command("import_grants", str(FILE), "--fund", "unvtf", stdout=out)
    assert "5 grants added, 0 updated, 0 unchanged." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("import_grants", str(FILE), "--fund", "NOPE")


def test_the_portfolio_adds_up_per_country_and_year_never_across_currencies(fund, manager):
    services.grants_import(fund=fund, rows=_rows(FILE.read_text()), actor=manager)
    found = selectors.portfolio(fund)
    assert found.grants == 5
    assert found.totals == {"USD": Decimal("257500.50"), "EUR": Decimal("55000.00")}
    by_year = {y["year"]: y for y in found.years}
    assert by_year[2026]["grants"] == 3 and by_year[2026]["amounts"]["EUR"] == Decimal("55000")


def test_another_entitys_manager_and_other_roles_reach_nothing(fund, actors):
    stranger = make_user(actors.other_entity, Role.FUND_MANAGER)
    with pytest.raises(Http404):
        selectors.fund_get(user=stranger, code="UNVTF")
    with pytest.raises(PermissionDenied):
        selectors.funds_for(user=actors.by_role[Role.ANALYST])
    assert token_client(stranger).get("/api/v1/funds/UNVTF/grants").status_code == 404


def test_the_public_page_names_no_grantee(fund, manager, client):
    services.grants_import(fund=fund, rows=_rows(FILE.read_text()), actor=manager)
    page = client.get("/public/funds/UNVTF/").content.decode()
    assert "Central African Republic" in page and "Fictitious Hope House" not in page
    public = client.get("/api/v1/public/funds/UNVTF").json()
    assert public["totals"] == {"USD": "257500.50", "EUR": "55000.00"}
    assert "Fictitious" not in str(public)


def test_the_fund_page_imports_a_file_and_saves_a_grant(fund, manager):
    client = signed_in_client(manager)
    with FILE.open("rb") as upload:
        page = client.post("/funds/UNVTF/", {"import": "1", "file": upload})
    assert "5 grants added, 0 updated, 0 unchanged." in page.content.decode()
    answer = client.post(
        "/funds/UNVTF/",
        {
            "grant": "1",
            "grant_id": "VTF-X",
            "grantee": "New NGO",
            "country": "nga",
            "amount": "1000",
            "currency": "EUR",
            "start": "2026-01-01",
            "end": "2025-01-01",
            "status": "active",
        },
    )
    assert "On or after the start." in answer.content.decode()  # kept on the form
    assert not Grant.objects.filter(grant_id="VTF-X").exists()
