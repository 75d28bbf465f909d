"""Every write of the conduct app commits with its audit event or not at all."""

import datetime
from typing import Any

import pytest

from ctip.conduct import services
from ctip.conduct.models import (
    Allegation,
    AllegationIdentity,
    CustodyEntry,
    Investigation,
    Unit,
    UnitCertification,
    VettingCheck,
)
from ctip.conduct.tests.builders import RAW, record
from ctip.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db
WATCHED = (
    Allegation,
    AllegationIdentity,
    CustodyEntry,
    Investigation,
    Unit,
    UnitCertification,
    VettingCheck,
    Notification,
    AuditEvent,
)


def snapshot() -> dict[str, list[Any]]:
    return {
        model.__name__: list(model._default_manager.order_by("pk").values()) for model in WATCHED
    }


def given_an_investigation(officer):
    allegation = record(officer)
    investigation = services.investigation_save(
        actor=officer,
        allegation=allegation,
        raw={"body": "national", "referred_on": "2026-03-10"},
    )
    services.unit_add(actor=officer, raw={"country": "PAK", "name": "Battalion III"})  # to merge
    return allegation, investigation


WRITES = {
    "allegation_record": lambda officer, allegation, investigation: services.allegation_record(
        actor=officer, entity=officer.entity, raw={**RAW, "contingent_country": "PAK"}
    ),
    "identities_view": lambda officer, allegation, investigation: services.identities_view(
        actor=officer, allegation=allegation
    ),
    "step_done": lambda officer, allegation, investigation: services.step_done(
        actor=officer, allegation=allegation, step="evidence_secured"
    ),
    "custody_log": lambda officer, allegation, investigation: services.custody_log(
        actor=officer,
        allegation=allegation,
        raw={"item": "phone", "action": "collected", "holder": "MP", "at": "2026-03-05T10:00"},
    ),
    "investigation_save": lambda officer, allegation, investigation: services.investigation_save(
        actor=officer,
        allegation=allegation,
        raw={
            "body": "national",
            "referred_on": "2026-03-10",
            "outcome": "substantiated",
            "finished_on": "2026-06-01",
        },
    ),
    "investigation_extend": lambda officer, allegation, investigation: (
        services.investigation_extend(
            actor=officer, investigation=investigation, days="30", reason="Witness abroad"
        )
    ),
    "vetting_check": lambda officer, allegation, investigation: services.vetting_check(
        actor=officer, identifier="P-12345", purpose="deployment"
    ),
    "certification_save": lambda officer, allegation, investigation: services.certification_save(
        actor=officer,
        raw={"country": "PAK", "unit": "Battalion 3", "deployed_on": "2025-10-01"},
    ),
    "unit_add": lambda officer, allegation, investigation: services.unit_add(
        actor=officer, raw={"country": "PAK", "name": "Engineers"}
    ),
    "unit_merge": lambda officer, allegation, investigation: services.unit_merge(
        actor=officer,
        unit=Unit.objects.get(key="battalioniii"),
        into=allegation.registered_unit,
    ),
    "deadline_alerts": lambda officer, allegation, investigation: services.deadline_alerts(
        datetime.date(2026, 9, 20)
    ),
    "victim_refer": lambda officer, allegation, investigation: services.victim_refer(
        actor=officer, allegation=allegation, raw=_referral(officer)
    ),
}


def _referral(officer):  # type: ignore[no-untyped-def]
    """A provider the SEA fund pays today (made without services: the audit may be down)."""
    from ctip.funds.models import Fund, Grant

    today = datetime.date.today()
    fund = Fund.objects.create(code="SEAT", name="SEA", purpose="sea", entity=officer.entity)
    Grant.objects.create(
        fund=fund,
        grant_id="S-1",
        grantee="NGO",
        grantee_entity=officer.entity,
        country_id="CAF",
        amount=10,
        currency="USD",
        start=today - datetime.timedelta(days=1),
        end=today + datetime.timedelta(days=1),
        status="active",
    )
    return {
        "provider": str(officer.entity_id),
        "names": "Test",
        "consent_referral": "on",
        "consent_sharing": "on",
        "consent_date": today.isoformat(),
    }


def test_every_public_writing_service_is_in_the_list():
    public = {name for name in services.__all__ if callable(getattr(services, name))}
    readers = {"clean_allegation", "parse_whole_number", "Identities", "Merged"}
    assert public - readers == set(WRITES)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_whose_audit_fails_leaves_nothing(officer, request, name):
    # given an allegation under investigation, and then the audit log refusing every write
    allegation, investigation = given_an_investigation(officer)
    audit_fails = request.getfixturevalue("audit_fails")
    before = snapshot()
    # when the service runs
    with pytest.raises(audit_fails):
        WRITES[name](officer, allegation, investigation)
    # then the database is exactly as it was: no row, no marker, no notification
    assert snapshot() == before


def test_deadline_alerts_commit_each_alert_with_its_marker(officer):
    _allegation, investigation = given_an_investigation(officer)
    assert services.deadline_alerts(datetime.date(2026, 9, 20)) == 1
    investigation.refresh_from_db()
    assert investigation.alerts_sent == ["30", "7", "overdue"]
    assert AuditEvent.objects.filter(action="conduct.deadline_alert").count() == 1
    assert services.deadline_alerts(datetime.date(2026, 9, 21)) == 0
