"""Every write of the incidents app commits with its audit event or not at all."""

import datetime

import pytest
from django.apps import apps
from django.db.models import Model

from ctip.cases.models import Case
from ctip.core.codes import Role
from ctip.core.models import Notification
from ctip.incidents import services
from ctip.incidents.services.importing import COLUMNS
from ctip.incidents.tests.builders import raw, record, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(actors, monitor, second_monitor, situation, party):
    from ctip.statistics.models import ReportingRound

    reported = record(monitor, situation)
    checked = verified(monitor, second_monitor, situation)
    girl = services.abductee_add(
        actor=monitor, incident=checked, raw={"group": "girls", "status": "released"}
    )
    under = record(monitor, situation)
    services.verification_start(actor=monitor, incident=under)
    ReportingRound.objects.create(year=2025, deadline=datetime.date(2026, 6, 30))
    return {
        "monitor": monitor,
        "second": second_monitor,
        "focal": actors.by_role[Role.FOCAL_POINT],
        "situation": situation,
        "party": party,
        "reported": reported,
        "under": under,
        "verified": checked,
        "girl": girl,
    }


ROW = dict(
    zip(
        COLUMNS,
        [
            "X-1",
            "2025-01-01",
            "CAF",
            "",
            "Test conflict",
            "New group",
            "abduction",
            "1",
            "0",
            "0",
            "0",
            "0",
            "verified",
        ],
        strict=True,
    )
)

WRITES = {
    "party_save": lambda w: services.party_save(
        actor=w["monitor"],
        raw={"situation": w["situation"].pk, "name": "Group B", "kind": "other"},
    ),
    "listing_save": lambda w: services.listing_save(
        actor=w["monitor"],
        party=w["party"],
        raw={"annex": "crsv", "year": "2024", "violations": ["sexual_violence"]},
    ),
    "incident_record": lambda w: services.incident_record(
        actor=w["monitor"], raw=raw(w["situation"])
    ),
    "incident_update": lambda w: services.incident_update(
        actor=w["monitor"], incident=w["reported"], raw={"girls": "5"}
    ),
    "details_view": lambda w: services.details_view(actor=w["monitor"], incident=w["reported"]),
    "verification_start": lambda w: services.verification_start(
        actor=w["monitor"], incident=w["reported"]
    ),
    "verification_decide": lambda w: services.verification_decide(
        actor=w["second"],
        incident=w["under"],
        raw={"status": "unverifiable", "basis": "no_access", "decided_on": "2025-06-01"},
    ),
    "abductee_add": lambda w: services.abductee_add(
        actor=w["monitor"], incident=w["verified"], raw={"group": "girls"}
    ),
    "abductee_status": lambda w: services.abductee_status(
        actor=w["monitor"],
        abductee=w["girl"],
        raw={"status": "reunified", "status_on": "2025-07-01"},
    ),
    "abductee_refer": lambda w: services.abductee_refer(
        actor=w["monitor"],
        abductee=w["girl"],
        to_entity=w["monitor"].entity,
        raw={"consent_referral": True, "consent_date": "2025-07-01"},
    ),
    "abductee_identity_view": lambda w: services.abductee_identity_view(
        actor=w["monitor"], abductee=w["girl"]
    ),
    "incidents_import": lambda w: services.incidents_import(
        actor=w["monitor"], entity=w["monitor"].entity, rows=[(2, ROW)], create_parties=True
    ),
    "incidents_report": lambda w: services.incidents_report(
        actor=w["focal"], year=2025, linkage_secret="a-round-secret-of-enough-length"
    ),
    "patterns_exported": lambda w: services.patterns_exported(
        actor=w["monitor"], rows=1, fmt="csv"
    ),
}


def test_every_public_service_that_writes_is_in_the_list():
    public = {n for n in services.__all__ if n.islower() and callable(getattr(services, n))}
    not_writes = {"clean_incident", "party_resolve", "for_exploitation", "editable_values"}
    assert public - not_writes == set(WRITES)


def database_state() -> dict[str, list[dict]]:
    from ctip.statistics.models import Submission, VictimRecord

    models: list[type[Model]] = [
        *apps.get_app_config("incidents").get_models(),
        Case,
        Notification,
        Submission,
        VictimRecord,
    ]
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_and_its_audit_event_commit_together_or_not_at_all(name, world, audit_fails):
    before = database_state()
    with pytest.raises(audit_fails):
        WRITES[name](world)
    assert database_state() == before
