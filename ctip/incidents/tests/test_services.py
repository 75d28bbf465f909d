"""Recording, four-eyes verification, abductees and their referral, the import (all or
none), the patterns and the report to the statistics, through the services."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from ctip.cases.models import Case, CaseIdentity
from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.incidents import patterns, services
from ctip.incidents.models import Incident, Party
from ctip.incidents.tests.builders import NARRATIVE, SECRETS, SOURCE, record, verified

pytestmark = pytest.mark.django_db


def test_an_incident_is_recorded_as_reported_with_its_party_found_by_alias(
    monitor, situation, party
):
    incident = record(monitor, situation)
    assert incident.status == "reported" and incident.party == party
    assert incident.victims == 2 and incident.year == 2025
    assert incident.reference.startswith(f"{monitor.entity.code}-I2025-")
    assert AuditEvent.objects.filter(
        action="incidents.recorded", object_id=str(incident.pk)
    ).exists()


def test_narrative_and_sources_are_encrypted_at_rest(monitor, situation, party):
    incident = record(monitor, situation)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT narrative, sources FROM incidents_incidentdetails WHERE incident_id = %s",
            [incident.pk],
        )
        stored = " ".join(cursor.fetchone())
    assert all(secret not in stored for secret in SECRETS)
    shown = services.details_view(actor=monitor, incident=incident)
    assert shown.narrative == NARRATIVE and shown.sources[0]["source"] == SOURCE


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "IRQ"}, "country"),  # not a country of the situation
        ({"party": "Nobody known"}, "party"),
        ({"violations": ["theft"]}, "violations"),
        ({"girls": "0"}, "girls"),  # an abduction with no victim
        ({"girls": "-1"}, "girls"),
        ({"girls": "100001"}, "girls"),
        ({"date": "2999-01-01"}, "date"),
        ({"date_to": "2025-01-01"}, "date_to"),  # before the date
        ({"latitude": "91", "longitude": "10"}, "latitude"),
        ({"latitude": "5"}, "longitude"),
        ({"situation": "No such war"}, "situation"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(monitor, situation, party, change, field):
    with pytest.raises(ValidationError) as error:
        record(monitor, situation, **change)
    assert field in error.value.message_dict
    assert not Incident.objects.exists()


def test_only_monitors_record(actors, situation):
    for role in (Role.CASEWORKER, Role.ANALYST, Role.ADMINISTRATOR, Role.CONDUCT_OFFICER):
        with pytest.raises(PermissionDenied):
            record(actors.by_role[role], situation)


def test_four_eyes_the_recorder_cannot_decide(monitor, second_monitor, situation, party):
    incident = record(monitor, situation)
    services.verification_start(actor=monitor, incident=incident)
    decision = {"status": "verified", "basis": "un_observed", "decided_on": "2025-05-20"}
    with pytest.raises(ValidationError, match="four eyes"):
        services.verification_decide(actor=monitor, incident=incident, raw=decision)
    services.verification_decide(actor=second_monitor, incident=incident, raw=decision)
    incident.refresh_from_db()
    assert incident.status == "verified" and incident.decided_by == second_monitor
    assert not incident.late  # decided within the quarter of the incident


def test_a_monitor_of_another_entity_gets_the_same_404(actors, monitor, situation, party):
    incident = record(monitor, situation)
    stranger = actors.other_by_role[Role.MONITOR]
    with pytest.raises(Http404):
        services.verification_start(actor=stranger, incident=incident)
    with pytest.raises(Http404):
        services.details_view(actor=stranger, incident=incident)


def test_late_verification_is_flagged(monitor, second_monitor, situation, party):
    incident = verified(monitor, second_monitor, situation, on="2025-07-02")  # next quarter
    assert incident.late


def test_only_verified_incidents_count_in_the_patterns(monitor, second_monitor, situation, party):
    verified(monitor, second_monitor, situation)
    record(monitor, situation, girls="7")  # reported only
    rows = patterns.pattern_rows(Incident.objects.all())
    assert {(r.party, r.violation, r.year, r.verified_incidents, r.victims) for r in rows} == {
        ("Group A", "abduction", 2025, 1, 2),
        ("Group A", "sexual_violence", 2025, 1, 2),
    }
    pack = patterns.evidence(Incident.objects.all(), party)
    assert pack.unverified == 1 and pack.years == [2025]


def test_an_abductee_is_followed_freed_and_referred_to_a_caseworker(
    actors, monitor, second_monitor, situation, party
):
    incident = verified(monitor, second_monitor, situation)
    girl = services.abductee_add(
        actor=monitor,
        incident=incident,
        raw={"group": "girls", "names": "Aline D.", "date_of_birth": "2012-03-04"},
    )
    assert girl.held_by == party  # held by the perpetrator until told otherwise
    with pytest.raises(ValidationError):  # still held: nothing to refer yet
        services.abductee_refer(actor=monitor, abductee=girl, to_entity=monitor.entity, raw={})
    services.abductee_status(
        actor=monitor, abductee=girl, raw={"status": "released", "status_on": "2025-08-01"}
    )
    caseworker = actors.by_role[Role.CASEWORKER]
    with pytest.raises(ValidationError) as error:
        services.abductee_refer(
            actor=monitor,
            abductee=girl,
            to_entity=monitor.entity,
            raw={"consent_date": "2025-08-02"},
        )
    assert "consent_referral" in error.value.message_dict
    case = services.abductee_refer(
        actor=monitor,
        abductee=girl,
        to_entity=monitor.entity,
        raw={
            "consent_referral": True,
            "consent_date": "2025-08-02",
            "caseworker": str(caseworker.pk),
        },
    )
    assert case.caseworker == caseworker and case.conflict_situation == situation
    assert case.sex == "F" and case.forms_of_exploitation == "SexualExploitation"
    assert CaseIdentity.objects.get(case=case).names == "Aline D."
    girl.refresh_from_db()
    assert girl.case == case and [h["status"] for h in girl.history] == ["held", "released"]
    assert caseworker.notifications.filter(subject__contains=case.reference).exists()


def test_no_more_abductees_than_the_incident_counts(monitor, second_monitor, situation, party):
    incident = verified(monitor, second_monitor, situation)
    for _n in range(2):
        services.abductee_add(actor=monitor, incident=incident, raw={"group": "girls"})
    with pytest.raises(ValidationError):
        services.abductee_add(actor=monitor, incident=incident, raw={"group": "girls"})


def test_referral_to_another_entity_needs_consent_to_sharing(
    actors, monitor, second_monitor, situation, party
):
    incident = verified(monitor, second_monitor, situation)
    girl = services.abductee_add(
        actor=monitor, incident=incident, raw={"group": "girls", "status": "escaped"}
    )
    with pytest.raises(ValidationError) as error:
        services.abductee_refer(
            actor=monitor,
            abductee=girl,
            to_entity=actors.other_entity,
            raw={"consent_referral": True, "consent_date": "2025-08-02"},
        )
    assert "consent_sharing" in error.value.message_dict
    assert not Case.objects.exists()


# --- import -----------------------------------------------------------------------------------

HEADER = (
    "incident_id,date,country,admin1,conflict_situation,party,violation,girls,boys,women,men,"
    "unknown_sex,verification_status"
)


def _rows(text: str):
    from ctip.tabular import read_dicts

    return read_dicts(text.encode(), "incidents.csv", 1000)


def test_import_all_rows_or_none_every_bad_row_named(monitor, situation, party):
    text = "\n".join(
        [
            HEADER,
            "A-1,2024-01-05,CAF,Vakaga,Test conflict,AGA,abduction,2,0,0,0,0,verified",
            "A-2,2024-02-05,CAF,Vakaga,Test conflict,Group Z,abduction,1,0,0,0,0,reported",
            "A-3,2024-13-05,CAF,Vakaga,Test conflict,AGA,abduction,1,0,0,0,0,reported",
            "A-1,2024-01-05,CAF,Vakaga,Test conflict,AGA,abduction,2,0,0,0,0,verified",
            "A-4,2024-01-05,CAF,=cmd(),Test conflict,AGA,abduction,2,0,0,0,0,maybe",
        ]
    )
    report = services.incidents_import(actor=monitor, entity=monitor.entity, rows=_rows(text))
    named = {(e["row"], e["column"]) for e in report.errors}
    assert named == {
        (3, "party"),
        (4, "date"),
        (5, "incident_id"),
        (6, "admin1"),
        (6, "verification_status"),
    }
    assert not Incident.objects.exists() and Party.objects.count() == 1


def test_import_keeps_imported_statuses_creates_parties_and_skips_repeats(
    monitor, situation, party
):
    text = "\n".join(
        [
            HEADER,
            "A-1,2024-01-05,CAF,Vakaga,test conflict,alpha,abduction;recruitment_use,"
            "2,1,0,0,0,verified",
            "A-2,2024-02-05,CAF,Vakaga,Test conflict,Group Z,killing_maiming,0,0,1,0,0,",
        ]
    )
    dry = services.incidents_import(
        actor=monitor, entity=monitor.entity, rows=_rows(text), create_parties=True, dry_run=True
    )
    assert dry.created == 2 and dry.parties_created == ["Group Z"] and not dry.errors
    assert not Incident.objects.exists() and not Party.objects.filter(name="Group Z").exists()
    report = services.incidents_import(
        actor=monitor, entity=monitor.entity, rows=_rows(text), create_parties=True
    )
    assert report.created == 2
    first = Incident.objects.get(external_id="A-1")
    assert first.status == "verified" and first.status_imported and first.party == party
    assert first.violation_codes == ["abduction", "recruitment_use"]
    assert str(Incident.objects.get(external_id="A-2").party) == "Group Z"
    imported = AuditEvent.objects.get(action="incidents.status_imported")
    assert imported.details == {"statuses": {"verified": 1}}
    again = services.incidents_import(actor=monitor, entity=monitor.entity, rows=_rows(text))
    assert again.created == 0 and again.already == 2


def test_import_names_a_missing_and_an_unknown_column(monitor, situation):
    text = (
        HEADER.replace(",verification_status", ",status")
        + "\nA,2024-01-01,CAF,,x,,abduction,1,0,0,0,0,reported"
    )
    report = services.incidents_import(actor=monitor, entity=monitor.entity, rows=_rows(text))
    assert {e["column"] for e in report.errors} == {"verification_status", "status"}


# --- statistics -------------------------------------------------------------------------------


def test_verified_abductions_for_exploitation_go_to_the_round_pseudonymised(
    actors, monitor, second_monitor, situation, party
):
    from ctip.statistics import services as statistics
    from ctip.statistics.models import VictimRecord

    statistics.round_open(actor=None, year=2025, deadline=datetime.date(2026, 6, 30))
    incident = verified(monitor, second_monitor, situation, boys="1")
    services.abductee_add(
        actor=monitor, incident=incident, raw={"group": "girls", "names": "Aline D."}
    )
    record(monitor, situation)  # not verified: left out
    verified(monitor, second_monitor, situation, violations=["abduction"])  # not for exploitation
    focal = actors.by_role[Role.FOCAL_POINT]
    secret = "a-round-secret-of-enough-length"
    done = services.incidents_report(actor=focal, year=2025, linkage_secret=secret)
    assert (done.incidents, done.records, done.with_linkage_key) == (1, 3, 1)
    records = VictimRecord.objects.all()
    assert sorted((r.sex, r.age_group) for r in records) == [
        ("F", "Y0T17"),
        ("F", "Y0T17"),
        ("M", "Y0T17"),
    ]
    assert all(r.conflict_situation == situation and r.armed_group_involved for r in records)
    assert "Aline" not in json.dumps(list(records.values()), default=str)
    services.incidents_report(actor=focal, year=2025, linkage_secret=secret)
    assert VictimRecord.objects.count() == 3  # reported again: replaced, not added
    with pytest.raises(PermissionDenied):
        services.incidents_report(actor=monitor, year=2025, linkage_secret=secret)


def test_public_figures_hide_small_counts(monitor, second_monitor, situation, party):
    for _n in range(3):
        verified(monitor, second_monitor, situation, girls="4", women="3")
    verified(monitor, second_monitor, situation, girls="1", women="0", boys="6")
    rows, k = patterns.public_figures()
    (row,) = rows
    assert k == 5 and row.incidents.value is None and row.incidents.status == "A"  # 4 < 5
    assert row.victims.value == 28 and row.groups["girls"].value == 13
    assert row.groups["women"].value == 9 and row.groups["boys"].value == 6


def test_a_correction_before_the_decision_changes_counts_and_says_what_changed(
    monitor, second_monitor, situation, party
):
    incident = record(monitor, situation)
    services.abductee_add(actor=monitor, incident=incident, raw={"group": "girls"})
    with pytest.raises(ValidationError) as error:
        services.incident_update(actor=monitor, incident=incident, raw={"girls": "0", "boys": "1"})
    assert "girls" in error.value.message_dict  # one girl is followed by name
    services.incident_update(
        actor=monitor, incident=incident, raw={"girls": "3", "admin1": "Vakaga"}
    )
    incident.refresh_from_db()
    assert (incident.girls, incident.victims, incident.admin1) == (3, 3, "Vakaga")
    event = AuditEvent.objects.filter(action="incidents.updated").latest("sequence")
    assert sorted(event.details["changed"]) == ["admin1", "girls", "victims"]
    services.verification_start(actor=monitor, incident=incident)
    services.verification_decide(
        actor=second_monitor,
        incident=incident,
        raw={"status": "verified", "basis": "un_observed", "decided_on": "2025-06-01"},
    )
    with pytest.raises(ValidationError, match="back under verification"):
        services.incident_update(actor=monitor, incident=incident, raw={"girls": "9"})
