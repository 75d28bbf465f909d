"""Trust funds: grants imported all or none and idempotently, exported in the same columns,
the portfolio per country and year, who may see what, and the public page."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
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
    regions = {r["region"]: r for r in found.regions}
    assert regions["Africa"]["grants"] == 4 and regions["Asia"]["amounts"] == {
        "USD": Decimal("60000")
    }
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


# --- proposals, reviews, selection ----------------------------------------------------------

PROPOSAL = {
    "applicant": "Fictitious Dignity House",
    "country": "NGA",
    "amount": "50000",
    "currency": "USD",
    "start": "2026-01-01",
    "end": "2026-12-31",
    "services": ["shelter", "psychosocial"],
    "target_groups": ["women", "girls"],
}


@pytest.fixture
def call(fund, manager):
    return services.call_save(
        actor=manager,
        fund=fund,
        raw={"title": "Call 2026", "opens_on": "2025-10-01", "closes_on": "2025-12-31"},
    )


def test_a_proposal_is_reviewed_put_on_the_reserve_list_then_funded(call, manager, actors):
    first = services.proposal_save(actor=manager, call=call, raw=PROPOSAL)
    second = services.proposal_save(actor=manager, call=call, raw={**PROPOSAL, "applicant": "B"})
    with pytest.raises(ValidationError) as early:
        services.proposal_decide(actor=manager, proposal=first, decision="fund", reason="Good")
    assert "decision" in early.value.message_dict  # not before a review
    other = make_user(actors.entity, Role.FUND_MANAGER)
    for reviewer, score in ((manager, 80), (other, 70)):
        services.proposal_review(actor=reviewer, proposal=first, score=score)
        services.proposal_review(actor=reviewer, proposal=second, score=score - 10)
    with pytest.raises(ValidationError):
        services.proposal_review(actor=manager, proposal=first, score=90)  # once each
    services.proposal_decide(actor=manager, proposal=second, decision="reserve", reason="Next")
    services.proposal_decide(actor=manager, proposal=first, decision="reserve", reason="Later")
    ranks = list(
        selectors.reserve_list(user=manager, fund=call.fund).values_list("applicant", flat=True)
    )
    assert ranks == ["B", "Fictitious Dignity House"]  # ranked in the order decided
    funded = services.proposal_decide(
        actor=manager, proposal=first, decision="fund", reason="Funds came"
    )
    grant = funded.grant
    assert grant is not None
    assert funded.status == "funded" and funded.reserve_rank is None
    assert (grant.grantee, grant.amount, grant.grant_id) == (
        "Fictitious Dignity House",
        Decimal("50000"),
        funded.reference,
    )
    assert grant.reports.count() == 1 and grant.reports.get().due_on.isoformat() == "2027-01-30"
    with pytest.raises(ValidationError):
        services.proposal_decide(actor=manager, proposal=funded, decision="reject", reason="No")


def test_a_proposal_names_each_bad_field(call, manager):
    with pytest.raises(ValidationError) as error:
        services.proposal_save(
            actor=manager,
            call=call,
            raw={
                **PROPOSAL,
                "country": "ZZZ",
                "services": ["spa"],
                "amount": "-1",
                "applicant": "",
            },
        )
    assert {"country", "services", "amount", "applicant"} <= set(error.value.message_dict)


# --- reports --------------------------------------------------------------------------------


@pytest.fixture
def grant(fund, manager):
    return services.grant_save(
        actor=manager,
        fund=fund,
        raw={
            "grant_id": "G-R",
            "grantee": "Report NGO",
            "country": "IRQ",
            "amount": "1000",
            "currency": "USD",
            "start": "2024-03-01",
            "end": "2026-04-15",
            "status": "active",
        },
    )


def test_reports_are_scheduled_per_year_with_a_short_tail_joined(grant):
    periods = [(r.period_start.isoformat(), r.period_end.isoformat()) for r in grant.reports.all()]
    assert periods == [("2024-03-01", "2025-02-28"), ("2025-03-01", "2026-04-15")]


FIGURES = {
    "victims": 10,
    "by_sex": {"F": 7, "M": 3},
    "by_age": {"Y0T17": 4, "Y_GE18": 6},
    "by_form": {"SexualExploitation": 6, "ForcedLabour": 5},
    "by_service": {"shelter": 10},
}


def test_a_report_must_add_up_and_then_shows_on_the_public_page(grant, manager, client):
    report = grant.reports.first()
    with pytest.raises(ValidationError) as error:
        services.report_submit(
            actor=manager, report=report, raw={**FIGURES, "by_sex": {"F": 7}, "by_form": {"Spa": 1}}
        )
    assert {"by_sex", "by_form"} <= set(error.value.message_dict)
    services.report_submit(actor=manager, report=report, raw=FIGURES)
    with pytest.raises(ValidationError):  # once: a public figure never changes by an edit
        services.report_submit(actor=manager, report=report, raw=FIGURES)
    (year,), _k = services.assisted_per_year(grant.fund)
    assert (year.year, year.victims.text) == (2025, "10")  # the period ended in February 2025
    page = client.get(f"/public/funds/{grant.fund.code}/").content.decode()
    assert 'data-year="2025"' in page and "Report NGO" not in page


def test_public_victims_assisted_never_show_a_small_count(grant, manager):
    services.report_submit(actor=manager, report=grant.reports.first(), raw=FIGURES)
    (year,), k = services.assisted_per_year(grant.fund)
    shown = [year.victims, year.female, year.male, year.sex_unknown]
    assert all(s.value is None or s.value == 0 or s.value >= k for s in shown)
    # 10 = 7 + 3 + 0: with the 3 hidden, 7 must be hidden too, or the 3 is worked out
    assert year.male.text == f"<{k}" and year.female.value is None


def test_reminders_tell_the_fund_managers_once(grant, manager):
    from ctip.core.models import Notification

    told = services.report_reminders(datetime.date(2025, 3, 20))
    assert told == 1  # the first period's report, due 30 March: due soon
    assert services.report_reminders(datetime.date(2025, 3, 21)) == 0
    assert services.report_reminders(datetime.date(2025, 4, 2)) == 1  # now overdue
    assert Notification.objects.filter(user=manager, subject__contains="G-R").count() == 2


def test_a_grantees_focal_point_sends_the_figures_of_its_cases_once(fund, manager, actors):
    from ctip.cases.models import Case, ServiceDelivery

    ngo = actors.other_entity
    grant = services.grant_save(
        actor=manager,
        fund=fund,
        raw={
            "grant_id": "G-C",
            "grantee": "NGO",
            "country": "IRQ",
            "amount": "10",
            "currency": "USD",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "status": "active",
        },
    )
    grant.grantee_entity = ngo
    grant.save()
    worker = actors.other_by_role[Role.CASEWORKER]
    for n, (sex, age, forms) in enumerate(
        (("F", "9--17", "SexualExploitation"), ("M", "30--38", "ForcedLabour;Servitude"))
    ):
        case = Case.objects.create(
            entity=ngo, reference=f"C-{n}", sex=sex, age_band=age, forms_of_exploitation=forms
        )
        for service in ("shelter", "health"):
            ServiceDelivery.objects.create(
                case=case,
                provider=ngo,
                service=service,
                started_on=datetime.date(2025, 5, 1),
                recorded_by=worker,
            )
    report = grant.reports.get()
    with pytest.raises(PermissionDenied):  # not the fund manager: the grantee decides
        services.report_from_cases(actor=manager, report=report)
    with pytest.raises(Http404):  # nor another entity's focal point
        services.report_from_cases(actor=actors.by_role[Role.FOCAL_POINT], report=report)
    focal = actors.other_by_role[Role.FOCAL_POINT]
    report = services.report_from_cases(actor=focal, report=report)
    assert report.victims == 2 and report.from_cases
    assert report.by_sex == {"F": 1, "M": 1} and report.by_age == {"Y0T17": 1, "Y_GE18": 1}
    assert report.by_service == {"shelter": 2, "health": 2}
    assert report.by_form == {"SexualExploitation": 1, "ForcedLabour": 1, "Servitude": 1}
    with pytest.raises(ValidationError):  # recorded once
        services.report_from_cases(actor=focal, report=report)


def test_a_grant_of_a_few_days_gives_no_counts_from_cases(fund, manager, actors):
    grant = services.grant_save(
        actor=manager,
        fund=fund,
        raw={
            "grant_id": "G-D",
            "grantee": "NGO",
            "country": "IRQ",
            "amount": "10",
            "currency": "USD",
            "start": "2025-05-01",
            "end": "2025-05-01",
            "status": "active",
        },
    )
    grant.grantee_entity = actors.other_entity
    grant.save()
    with pytest.raises(ValidationError):
        services.report_from_cases(
            actor=actors.other_by_role[Role.FOCAL_POINT], report=grant.reports.get()
        )


def test_dates_out_of_range_and_money_conflicts_are_refused(fund, manager):
    base = {
        "grant_id": "G-M",
        "grantee": "NGO",
        "country": "IRQ",
        "amount": "100",
        "currency": "EUR",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "status": "active",
    }
    for bad in (
        {"end": "9999-12-31"},
        {"start": "0001-01-01"},
        {"end": "2040-01-01"},
        {"grant_id": "A\nB"},
    ):
        with pytest.raises(ValidationError):
            services.grant_save(actor=manager, fund=fund, raw={**base, **bad})
    grant = services.grant_save(actor=manager, fund=fund, raw=base)
    services.disbursement_record(
        actor=manager, grant=grant, raw={"paid_on": "2025-02-01", "amount": "60", "usd_rate": "1.1"}
    )
    with pytest.raises(ValidationError) as error:
        services.grant_save(
            actor=manager, fund=fund, raw={**base, "currency": "USD", "amount": "50"}
        )
    assert set(error.value.message_dict) == {"currency", "amount"}
    with pytest.raises(ValidationError):  # a rate that would be rounded away
        services.disbursement_record(
            actor=manager,
            grant=grant,
            raw={"paid_on": "2025-02-01", "amount": "1", "usd_rate": "0.0000004"},
        )


def test_changed_dates_keep_recorded_reports_and_schedule_no_overlap(fund, manager):
    base = {
        "grant_id": "G-S",
        "grantee": "NGO",
        "country": "IRQ",
        "amount": "100",
        "currency": "USD",
        "start": "2024-01-01",
        "end": "2025-12-31",
        "status": "active",
    }
    grant = services.grant_save(actor=manager, fund=fund, raw=base)
    first = grant.reports.order_by("period_start")[0]
    services.report_submit(actor=manager, report=first, raw=FIGURES)
    services.grant_save(
        actor=manager, fund=fund, raw={**base, "start": "2024-03-01", "end": "2026-02-28"}
    )
    periods = [
        (r.period_start.isoformat(), r.period_end.isoformat(), bool(r.submitted_at))
        for r in grant.reports.order_by("period_start")
    ]
    assert periods[0] == ("2024-01-01", "2024-12-31", True)  # kept as recorded
    assert ("2024-03-01", "2025-02-28", False) not in periods  # it would count people twice
    assert ("2025-03-01", "2026-02-28", False) in periods


def test_a_value_starting_with_a_sign_survives_the_round_trip(fund, manager, tmp_path):
    rows = _rows(
        "grant_id,grantee,country,amount,currency,start,end,status\n"
        "-1,- Shelter,IRQ,10.00,USD,2025-01-01,2025-12-31,active\n"
    )
    services.grants_import(fund=fund, rows=rows, actor=manager)
    out = tmp_path / "g.csv"
    call_command("export_grants", "--fund", fund.code, str(out), stdout=io.StringIO())
    again = services.grants_import(
        fund=fund, rows=read_dicts(out.read_bytes(), out.name, 10), actor=manager
    )
    assert (again.created, again.unchanged) == (0, 1)
    assert list(Grant.objects.values_list("grant_id", "grantee")) == [("-1", "- Shelter")]


def test_the_grants_list_finds_filters_and_exports_what_it_shows(fund, manager, actors):
    rows = read_dicts(FILE.read_bytes(), FILE.name, services.MAX_GRANT_ROWS)
    services.grants_import(fund=fund, rows=rows, actor=manager)
    client = signed_in_client(manager)
    url = f"/funds/{fund.code}/"
    page = client.get(url, {"country": "CAF"}).content.decode()
    caf = Grant.objects.filter(country_id="CAF").count()
    assert f'data-testid="list-count">{caf} found' in page
    assert 'data-grant="VTF-2026-003"' in page
    answer = client.get(url, {"country": "CAF", "export": "csv"})
    lines = answer.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Grant id,Grantee,Country") and len(lines) == caf + 1
    event = AuditEvent.objects.get(action="export.created")
    assert event.details["list"] == "grants" and event.object_id == str(fund.pk)
    other = signed_in_client(actors.other_by_role[Role.FUND_MANAGER])
    assert other.get(url, {"export": "csv"}).status_code == 404
