import pytest
from django.core.management import call_command
from django.db import connection

from ctip.core.audit import AuditAction, audit_record, audit_verify
from ctip.core.models import AuditEvent
from ctip.core.testing import make_entity, make_user

pytestmark = pytest.mark.django_db


def tamper(sql: str, params: list) -> None:
    """What an attacker with database access does: change a row behind the application."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_event_chains_to_the_previous_one():
    # given
    first = audit_record(actor=None, action=AuditAction.REFERENCE_LOADED, details={"n": 1})
    # when
    second = audit_record(actor=None, action=AuditAction.REFERENCE_LOADED, details={"n": 2})
    # then
    assert second.prev_hash == first.hash
    assert second.sequence == first.sequence + 1
    assert audit_verify().intact


def test_services_write_their_event_in_the_same_transaction():
    entity = make_entity("AUDITED")
    event = AuditEvent.objects.filter(
        action=AuditAction.ENTITY_CREATED, object_id=str(entity.pk)
    ).get()
    assert event.details == {"code": "AUDITED", "kind": "un_mission"}
    assert event.entity == entity


def test_changed_details_are_caught_and_named():
    entity = make_entity()
    make_user(entity)
    target = AuditEvent.objects.get(action=AuditAction.USER_CREATED)
    tamper(
        "UPDATE core_auditevent SET details = %s WHERE id = %s",
        ['{"role": "administrator"}', target.pk],
    )
    report = audit_verify()
    assert not report.intact
    assert report.first_bad_sequence == target.sequence
    assert "hash" in report.problem


def test_a_removed_event_is_caught():
    for n in range(3):
        audit_record(actor=None, action=AuditAction.REFERENCE_LOADED, details={"n": n})
    middle = AuditEvent.objects.get(sequence=2)
    tamper("DELETE FROM core_auditevent WHERE id = %s", [middle.pk])
    report = audit_verify()
    assert report.first_bad_sequence == 2


def test_removing_the_latest_events_is_caught():
    for n in range(3):
        audit_record(actor=None, action=AuditAction.REFERENCE_LOADED, details={"n": n})
    tamper("DELETE FROM core_auditevent WHERE sequence = %s", [3])
    assert audit_verify().first_bad_sequence == 3


def test_the_model_refuses_updates_and_deletes():
    event = audit_record(actor=None, action=AuditAction.REFERENCE_LOADED)
    event.action = "something else"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="x")


def test_audit_verify_command_exits_zero_then_non_zero_after_tampering(capsys):
    make_user(make_entity())
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out
    victim = AuditEvent.objects.order_by("sequence")[0]
    tamper("UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["someone-else", victim.pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify")
    assert exit_info.value.code == 1
    assert f"event {victim.sequence}" in capsys.readouterr().err
