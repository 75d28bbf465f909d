"""The supplier register: imports all or none, flags for high-risk sectors and allegations,
no flagged supplier cleared without a passing, valid check and the Code of Conduct accepted,
reminders before a check expires, and who may see what."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404

from ctip.core.audit import AuditEvent
from ctip.core.codes import Role
from ctip.core.models import Notification
from ctip.core.testing import make_user, signed_in_client, token_client
from ctip.suppliers import selectors, services
from ctip.suppliers.codes import SuppliersAction
from ctip.suppliers.models import Supplier
from ctip.tabular import read_dicts

pytestmark = pytest.mark.django_db
FILE = (
    Path(__file__).resolve().parents[3]
    / "tests"
    / "fixtures"
    / "suppliers"
    / "procurement_export.csv"
)
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


@pytest.fixture
def officer(actors):
    return make_user(actors.entity, Role.PROCUREMENT_OFFICER)


def _import(officer, text: str | None = None):  # type: ignore[no-untyped-def]
    data = FILE.read_bytes() if text is None else text.encode()
    return services.suppliers_import(
        entity=officer.entity, actor=officer, rows=read_dicts(data, "s.csv", 1000)
    )


def test_a_procurement_export_imports_with_flags_and_code_acceptances(officer):
    report = _import(officer)
    assert (report.created, report.updated, report.errors) == (3, 0, [])
    builders = Supplier.objects.get(ungm_number="UNGM-900001")
    assert [f.kind for f in builders.flags.all()] == ["sector"]  # construction is high-risk
    assert builders.acceptances.get().version == "2017-12"
    assert not Supplier.objects.get(ungm_number="UNGM-900002").flags.exists()  # transport
    again = _import(officer)
    assert (again.created, again.updated) == (0, 3)
    assert builders.flags.count() == 1 and builders.acceptances.count() == 1  # nothing doubled


def test_bad_rows_are_named_and_nothing_is_written(officer):
    bad = "ungm_number,name,country,sector\nU-1,=cmd|' /C calc'!A0,XXX,spa\nU-1,Twice,NGA,other\n"
    report = _import(officer, bad)
    named = {(e["row"], e["column"]) for e in report.errors}
    assert {(2, "name"), (2, "country"), (2, "sector"), (3, "ungm_number")} <= named
    assert not Supplier.objects.exists()


def test_a_flagged_supplier_is_cleared_only_on_a_valid_passing_check(officer):
    _import(officer)
    builders = Supplier.objects.get(ungm_number="UNGM-900001")
    with pytest.raises(ValidationError) as refused:
        services.supplier_status(actor=officer, supplier=builders, status="cleared")
    assert "check" in str(refused.value)
    services.check_record(
        actor=officer,
        supplier=builders,
        raw={"checked_on": "2024-01-10", "outcome": "passed", "expires_on": "2025-01-10"},
    )
    with pytest.raises(ValidationError):  # expired
        services.supplier_status(actor=officer, supplier=builders, status="cleared")
    valid = (TODAY + datetime.timedelta(days=200)).isoformat()
    services.check_record(
        actor=officer,
        supplier=builders,
        raw={"checked_on": TODAY.isoformat(), "outcome": "conditions", "expires_on": valid},
    )
    assert (
        services.supplier_status(actor=officer, supplier=builders, status="cleared").status
        == "cleared"
    )
    catering = Supplier.objects.get(ungm_number="UNGM-900003")
    services.check_record(
        actor=officer,
        supplier=catering,
        raw={"checked_on": TODAY.isoformat(), "outcome": "passed", "expires_on": valid},
    )
    with pytest.raises(ValidationError) as no_code:
        services.supplier_status(actor=officer, supplier=catering, status="cleared")
    assert "Code of Conduct" in str(no_code.value)


def test_an_allegation_or_a_failed_check_suspends_a_cleared_supplier(officer):
    _import(officer)
    freight = Supplier.objects.get(ungm_number="UNGM-900002")
    services.supplier_status(actor=officer, supplier=freight, status="cleared")
    services.flag_raise(
        actor=officer,
        supplier=freight,
        raw={"kind": "allegation", "detail": "Passports withheld", "source": "NGO report"},
    )
    freight.refresh_from_db()
    assert freight.status == "suspended"
    event = AuditEvent.objects.filter(action=SuppliersAction.FLAGGED).latest("sequence")
    assert event.details == {"kind": "allegation", "status": "suspended"}


def test_reminders_before_a_check_expires_once(officer):
    _import(officer)
    freight = Supplier.objects.get(ungm_number="UNGM-900002")
    services.check_record(
        actor=officer,
        supplier=freight,
        raw={
            "checked_on": TODAY.isoformat(),
            "outcome": "passed",
            "expires_on": (TODAY + datetime.timedelta(days=40)).isoformat(),
        },
    )
    services.supplier_status(actor=officer, supplier=freight, status="cleared")
    assert services.expiry_reminders(TODAY) == 0
    assert services.expiry_reminders(TODAY + datetime.timedelta(days=15)) == 1
    assert services.expiry_reminders(TODAY + datetime.timedelta(days=16)) == 0
    assert (
        Notification.objects.filter(user=officer, subject__contains="Fictitious Freight").count()
        == 1
    )


def test_the_command_imports_and_refuses_a_bad_file(officer, tmp_path):
    out = io.StringIO()
    call_command("import_suppliers", str(FILE), "--entity", officer.entity.code, stdout=out)
    assert "3 suppliers added, 0 updated." in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("ungm_number,name\nX,Y\n")
    with pytest.raises(SystemExit):
        call_command(
            "import_suppliers", str(bad), "--entity", officer.entity.code, stderr=io.StringIO()
        )


def test_another_entitys_officer_and_other_roles_reach_nothing(officer, actors):
    _import(officer)
    supplier = Supplier.objects.get(ungm_number="UNGM-900001")
    stranger = make_user(actors.other_entity, Role.PROCUREMENT_OFFICER)
    with pytest.raises(Http404):
        selectors.supplier_get(user=stranger, supplier_id=supplier.pk)
    with pytest.raises(PermissionDenied):
        selectors.suppliers_for(user=actors.by_role[Role.ANALYST])
    assert token_client(stranger).get(f"/api/v1/suppliers/{supplier.pk}").status_code == 404
    assert token_client(stranger).get("/api/v1/suppliers").json() == []


def test_the_page_clears_a_supplier_only_with_its_check(officer):
    _import(officer)
    builders = Supplier.objects.get(ungm_number="UNGM-900001")
    client = signed_in_client(officer)
    client.post(f"/suppliers/{builders.pk}/", {"action": "cleared"})
    builders.refresh_from_db()
    assert builders.status == "pending"
    page = client.get(f"/suppliers/{builders.pk}/").content.decode()
    assert "a passing due-diligence check, still valid, is needed" in page
    answer = client.post(
        f"/suppliers/{builders.pk}/",
        {
            "action": "check",
            "checked_on": TODAY.isoformat(),
            "outcome": "passed",
            "expires_on": TODAY.isoformat(),
        },
    )
    assert "After the check." in answer.content.decode()  # kept on the form


def test_the_register_finds_flagged_suppliers_and_exports_what_it_shows(officer, actors):
    _import(officer)
    client = signed_in_client(officer)
    flagged = (
        Supplier.objects.filter(flags__isnull=False, flags__closed_on__isnull=True)
        .distinct()
        .count()
    )
    page = client.get("/suppliers/", {"flagged": "1"}).content.decode()
    assert f'data-testid="list-count">{flagged} found' in page
    page = client.get("/suppliers/", {"q": "UNGM-900002"}).content.decode()
    assert 'data-testid="list-count">1 found' in page and 'data-supplier="UNGM-900002"' in page
    answer = client.get("/suppliers/", {"flagged": "1", "export": "csv"})
    assert len(answer.content.decode("utf-8-sig").splitlines()) == flagged + 1
    other = signed_in_client(actors.other_by_role[Role.PROCUREMENT_OFFICER])
    assert 'data-testid="list-count">0 found' in other.get("/suppliers/").content.decode()
