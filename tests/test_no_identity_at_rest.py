"""Done-when of issue 11: after a caseworker and a conduct officer look at identities in the
demo, no victim's name, date of birth or account is anywhere in the database file (its WAL
included) or in the session table. Runs the real commands on a file database in a separate
process, as `make demo` does."""

import os
import subprocess
import sys
from pathlib import Path

from ctip.cases.demo import PEOPLE
from ctip.incidents.demo import NAMES

SECRETS = [name.removeprefix("(synthetic) ") for name, *_ in PEOPLE]
SECRETS += [born for _name, born, *_ in PEOPLE]
SECRETS += ["An invented account for the demonstration", "rank and initials", "initials only"]
SECRETS += ["Invented account for the demo", "Invented witness", *(f"{n} D." for n in NAMES)]

LOOK_AT_IDENTITIES = r"""
import django, sys
django.setup()
from django.test import Client
from ctip.cases.models import Case
from ctip.conduct.models import Allegation
from ctip.core.models import User

caseworker = User.objects.get(email="caseworker@minusca.demo")
client = Client()
client.force_login(caseworker)
case = Case.objects.filter(caseworker=caseworker).order_by("pk").first()
page = client.post(f"/cases/{case.pk}/identity/")
assert page.status_code == 200 and "Grace N." in page.content.decode(), page.status_code

officer = User.objects.get(email="conduct@minusca.demo")
client = Client()
client.force_login(officer)
allegation = Allegation.objects.order_by("pk").first()
page = client.post(f"/conduct/{allegation.pk}/identities/")
assert page.status_code == 200 and "initials only" in page.content.decode(), page.status_code

from ctip.core.testing import signed_in_client
from ctip.incidents.models import Abductee

client = signed_in_client(User.objects.get(email="monitor@minusca.demo"))  # past the 2nd factor
followed = Abductee.objects.filter(incident__entity__code="MINUSCA").order_by("pk").first()
page = client.post(f"/incidents/{followed.incident_id}/details/")
assert page.status_code == 200 and "Invented witness" in page.content.decode(), page.status_code
page = client.post(f"/incidents/abductees/{followed.pk}/identity/")
assert page.status_code == 200 and " D." in page.content.decode(), page.status_code
print("looked")
"""


def test_no_identity_in_the_database_file_after_identities_are_viewed(tmp_path: Path):
    outside = {"CTIP_KEY_FILE", "CTIP_ENCRYPTION_KEYS"}  # the key file in the data folder
    env = {
        **{k: v for k, v in os.environ.items() if k not in outside},
        "CTIP_DATA_DIR": str(tmp_path),
        "CTIP_DATABASE_URL": f"sqlite:///{tmp_path / 'ctip.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "ctip.settings",
    }
    ctip = [sys.executable, "-m", "django"]

    def run(*args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own interpreter and commands
            args, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run(*ctip, "create_keyfile", str(tmp_path / "keys.json"))
    run(*ctip, "migrate", "--noinput", "-v0")
    run(*ctip, "load_reference_data")
    run(*ctip, "demo_data", "--seed", "1")
    assert "looked" in run(sys.executable, "-c", LOOK_AT_IDENTITIES)
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("ctip.sqlite3*"))
    sessions = run(
        *ctip,
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.sessions.models import Session\n"
        "print(len(Session.objects.all()))\n"
        "[print(s.get_decoded()) for s in Session.objects.all()]",
    )
    assert int(sessions.splitlines()[0]) >= 3  # the three sign-ins left their sessions
    for secret in SECRETS:
        assert secret.encode() not in stored, f"{secret!r} is in the database file in clear"
        assert secret not in sessions, f"{secret!r} is in a session"
