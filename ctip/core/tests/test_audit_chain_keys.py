"""A keyed audit chain and checkpoints kept elsewhere (issue 11, item 4)."""

import hashlib
import hmac
import json

import pytest
from django.core.management import call_command
from django.db import connection

from ctip.core.audit import (
    AuditAction,
    Checkpoint,
    _canonical,
    audit_checkpoint,
    audit_record,
    audit_verify,
)
from ctip.core.models import AuditChainHead, AuditEvent
from ctip.core.testing import make_entity, make_user, signed_in_client

pytestmark = pytest.mark.django_db


def some_events(n: int = 5) -> None:
    for i in range(n):
        audit_record(actor=None, action=AuditAction.REFERENCE_LOADED, details={"n": i})


def rewrite_history(sign) -> None:
    """What an attacker with database access does: change event 2, then recompute every hash
    after it with `sign(canonical bytes) -> hex` and move the head, so the chain links up."""
    prev = AuditEvent.objects.get(sequence=1).hash
    with connection.cursor() as cursor:
        for event in AuditEvent.objects.filter(sequence__gte=2).order_by("sequence"):
            if event.sequence == 2:
                event.details = {"n": 999}
            event.prev_hash = prev
            event.hash = sign(_canonical(event))
            cursor.execute(
                "UPDATE core_auditevent SET details = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [json.dumps(event.details), event.prev_hash, event.hash, event.pk],
            )
            prev = event.hash
        cursor.execute("UPDATE core_auditchainhead SET hash = %s WHERE id = 1", [prev])


def test_events_are_signed_with_the_audit_key(settings):
    some_events(1)
    event = AuditEvent.objects.get()
    ring = settings.CTIP_KEYRING
    assert event.key_id == ring.audit_current
    expected = hmac.new(ring.audit_keys[event.key_id], _canonical(event), hashlib.sha256)
    assert event.hash == expected.hexdigest()
    assert event.hash != hashlib.sha256(_canonical(event)).hexdigest()


def test_a_history_recomputed_without_the_key_is_caught():
    some_events()
    rewrite_history(lambda data: hashlib.sha256(data).hexdigest())
    report = audit_verify()
    assert not report.intact and report.first_bad_sequence == 2


def test_a_history_recomputed_with_the_key_is_caught_by_a_checkpoint(settings):
    # given a checkpoint exported after five events, kept elsewhere
    some_events()
    checkpoint = audit_checkpoint()
    assert checkpoint.sequence == 5 and audit_verify([checkpoint]).checkpoints_matched == 1
    # when someone with the database and the key rewrites event 2 and re-signs the chain
    key = settings.CTIP_KEYRING.audit_keys[settings.CTIP_KEYRING.audit_current]
    rewrite_history(lambda data: hmac.new(key, data, hashlib.sha256).hexdigest())
    # then the chain alone looks intact, but the checkpoint shows the rewrite
    assert audit_verify().intact
    report = audit_verify([checkpoint])
    assert not report.intact and "rewritten" in report.problem


def test_a_forged_checkpoint_is_refused():
    some_events()
    real = audit_checkpoint()
    forged = Checkpoint(real.sequence, "f" * 64, real.created_at, real.key_id, real.signature)
    report = audit_verify([forged])
    assert not report.intact and "signature" in report.problem


def test_a_checkpoint_after_which_events_were_cut_is_caught():
    some_events()
    checkpoint = audit_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE sequence >= 4")
        cursor.execute("UPDATE core_auditchainhead SET sequence = 3 WHERE id = 1")
    assert not audit_verify([checkpoint]).intact


def test_old_events_still_verify_after_the_audit_key_is_rotated(settings):
    some_events(3)
    old_key = settings.CTIP_KEYRING.audit_current
    settings.CTIP_KEYRING = settings.CTIP_KEYRING.with_new_key()
    some_events(2)
    assert {e.key_id for e in AuditEvent.objects.all()} == {
        old_key,
        settings.CTIP_KEYRING.audit_current,
    }
    assert audit_verify().intact


def test_legacy_unkeyed_events_pass_only_at_the_start_of_the_chain():
    # an unkeyed (plain SHA-256) event written before keyed hashing existed, then keyed ones
    legacy = audit_record(actor=None, action=AuditAction.REFERENCE_LOADED)
    legacy.key_id = ""
    legacy_hash = hashlib.sha256(_canonical(legacy)).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET key_id = '', hash = %s WHERE id = %s",
            [legacy_hash, legacy.pk],
        )
        cursor.execute("UPDATE core_auditchainhead SET hash = %s WHERE id = 1", [legacy_hash])
    some_events(2)
    report = audit_verify()
    assert report.intact and report.unkeyed_events == 1
    # an unkeyed event after keyed ones is refused (a way to dodge the key)
    last = AuditEvent.objects.get(sequence=3)
    last.key_id = ""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET key_id = '', hash = %s WHERE id = %s",
            [hashlib.sha256(_canonical(last)).hexdigest(), last.pk],
        )
    assert audit_verify().first_bad_sequence == 3


def test_commands_export_a_checkpoint_and_verify_against_it(tmp_path, capsys):
    some_events()
    path = tmp_path / "checkpoint.json"
    call_command("audit_checkpoint", str(path))
    call_command("audit_verify", "--checkpoint", str(path))
    assert "1 of 1 checkpoints matched" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE sequence = 2")
    with pytest.raises(SystemExit) as exit_:
        call_command("audit_verify", "--checkpoint", str(path))
    assert exit_.value.code == 1
    (tmp_path / "junk.json").write_text("{not json")
    with pytest.raises(Exception, match="not a CTIP audit checkpoint"):
        call_command("audit_verify", "--checkpoint", str(tmp_path / "junk.json"))


def test_the_audit_page_exports_a_checkpoint_and_verifies_an_uploaded_one():
    admin = make_user(make_entity(), "administrator")
    client = signed_in_client(admin)
    response = client.post("/audit/checkpoint/")
    assert response.status_code == 200
    checkpoint = Checkpoint.from_json(response.content.decode())
    assert checkpoint.sequence == AuditChainHead.objects.get().sequence - 1  # then its own event
    assert AuditEvent.objects.filter(action=AuditAction.AUDIT_CHECKPOINT).exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.json", response.content, content_type="application/json")
    page = client.post("/audit/verify/", {"checkpoint": upload}, follow=True)
    assert "not rewritten" in page.content.decode()
    bad = SimpleUploadedFile("c.json", b"\xff\xfe", content_type="application/json")
    page = client.post("/audit/verify/", {"checkpoint": bad}, follow=True)
    assert page.status_code == 200 and "not a CTIP audit checkpoint" in page.content.decode()
    # only administrators
    analyst = make_user(admin.entity, "focal_point")
    assert signed_in_client(analyst).post("/audit/checkpoint/").status_code == 403
