import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctip.core.audit import audit_verify
from ctip.core.demo import DEMO_PASSWORD, ROLE_ACCOUNTS
from ctip.core.models import ConflictSituation, Entity, User

pytestmark = pytest.mark.django_db


def test_create_entity_and_user_from_the_command_line(reference_data, monkeypatch, capsys):
    call_command(
        "create_entity",
        "unami",
        "--name",
        "UN Assistance Mission for Iraq",
        "--kind",
        "un_mission",
        "--country",
        "IRQ",
    )
    entity = Entity.objects.get(code="UNAMI")
    assert entity.country_id == "IRQ"
    monkeypatch.setenv("CTIP_NEW_PASSWORD", "a-long-enough-password")
    call_command("create_user", "Focal@UNAMI.org", "--entity", "UNAMI", "--role", "focal_point")
    user = User.objects.get(email="focal@unami.org")
    assert user.check_password("a-long-enough-password") and user.role == "focal_point"
    assert audit_verify().events_checked >= 2


def test_command_errors_name_the_problem(reference_data):
    with pytest.raises(CommandError, match="XXX"):
        call_command("create_entity", "NEW", "--name", "x", "--kind", "ngo", "--country", "XXX")
    with pytest.raises(CommandError, match="NOPE"):
        call_command("create_user", "a@b.org", "--entity", "NOPE", "--role", "analyst")
    assert not Entity.objects.filter(code="NEW").exists()


def test_createsuperuser_makes_an_operator_administrator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-enough-password")
    call_command("createsuperuser", "--noinput", "--email", "root@ctip.org", "--full_name", "Root")
    user = User.objects.get(email="root@ctip.org")
    assert user.role == "administrator" and user.entity.code == "CTIP"


def test_demo_data_is_idempotent_and_has_one_account_per_role(reference_data):
    call_command("demo_data", "--seed", "1")
    counts = Entity.objects.count(), User.objects.count(), ConflictSituation.objects.count()
    names = sorted(User.objects.values_list("full_name", flat=True))
    call_command("demo_data", "--seed", "1")
    assert (
        Entity.objects.count(),
        User.objects.count(),
        ConflictSituation.objects.count(),
    ) == counts
    assert sorted(User.objects.values_list("full_name", flat=True)) == names
    roles = {User.objects.get(email=email).role for email, *_ in ROLE_ACCOUNTS}
    assert roles == {
        "caseworker",
        "focal_point",
        "analyst",
        "conduct_officer",
        "legal_officer",
        "administrator",
        "monitor",
        "fund_manager",
        "procurement_officer",
    }
    assert {e.kind for e in Entity.objects.all()} == {
        "un_mission",
        "un_agency",
        "member_state",
        "ngo",
        "service_provider",
    }
    assert audit_verify().intact


def test_demo_accounts_prints_address_and_password(capsys):
    call_command("demo_accounts", "--url", "http://127.0.0.1:8123/")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/" in out and DEMO_PASSWORD in out
    assert all(email in out for email, *_ in ROLE_ACCOUNTS)


def test_create_keyfile_refuses_to_overwrite(tmp_path):
    call_command("create_keyfile", str(tmp_path / "keys.json"))
    assert oct((tmp_path / "keys.json").stat().st_mode & 0o777) == "0o600"
    with pytest.raises(CommandError, match="exists"):
        call_command("create_keyfile", str(tmp_path / "keys.json"))
