"""A freshly migrated database is usable: `ctip migrate` loads the countries and regions, so
the first import on a new installation works (it ended in a DuckDB traceback). Runs the real
commands on a new file database in a separate process, as an operator would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ctip.core.fresh_database import reference_data_missing
from ctip.core.models import Country

RECORDS = "year_of_identification,country_of_detection,sex\n2025,IRQ,F\n2025,IRQ,M\n"


def test_migrate_then_import_on_a_new_database(tmp_path: Path):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"CTIP_KEY_FILE", "CTIP_ENCRYPTION_KEYS"}
        },
        "CTIP_DATA_DIR": str(tmp_path),
        "CTIP_DATABASE_URL": f"sqlite:///{tmp_path / 'ctip.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "ctip.settings",
    }

    def ctip(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own interpreter and commands
            [sys.executable, "-m", "django", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def ok(*args: str) -> str:
        done = ctip(*args)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    # given a new installation
    ok("create_keyfile", str(tmp_path / "keys.json"))
    # when
    first = ok("migrate", "--noinput")
    again = ok("migrate", "--noinput")
    ok("create_entity", "MINUSCA", "--name", "MINUSCA", "--kind", "un_mission")
    ok("open_round", "2025")
    (tmp_path / "records.csv").write_text(RECORDS, encoding="utf-8")
    imported = ctip(
        "import_records", str(tmp_path / "records.csv"), "--entity", "MINUSCA", "--round", "2025"
    )
    # then
    assert "Loaded the reference data: 249 countries, 30 regions." in first
    assert "reference data" not in again  # present: nothing to do
    assert imported.returncode == 0, imported.stderr[-3000:]
    assert "2 created" in imported.stdout and "Traceback" not in imported.stderr


@pytest.mark.django_db
def test_without_reference_data_the_import_says_which_command_to_run(tmp_path: Path):
    # given a database whose countries were removed
    Country.objects.all().delete()
    assert reference_data_missing()
    (tmp_path / "records.csv").write_text(RECORDS, encoding="utf-8")
    # when / then
    with pytest.raises(CommandError, match="ctip load_reference_data"):
        call_command(
            "import_records", str(tmp_path / "records.csv"), "--entity", "X", "--round", "2025"
        )
