"""Benchmark: CTIP under concurrent users. Prepares the demo data scaled to N victim records,
starts gunicorn (deploy/gunicorn.conf.py), and runs locust (bench/locustfile.py) at each
number of users with 1-5 s think time, then 50 public readers without think time; prints
p50/p95/p99 per page and endpoint, requests per second and failures.

Usage: CTIP_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_load \\
       python bench/load.py [--records 1000000] [--users 10,50,200] [--seconds 60]
Needs the bench extra: pip install -e '.[bench]' -c constraints.txt. The database must be
empty or a database this script prepared before. The load generator runs on the same
machine as CTIP (2 cores here): the figures are for both together.
"""

import argparse
import csv
import io
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

os.environ.setdefault("CTIP_DATA_DIR", tempfile.mkdtemp(prefix="ctip-load-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")
sys.path.insert(0, str(Path(__file__).parent))

import django

django.setup()

from django.core.management import call_command  # noqa: E402

BENCH = Path(__file__).parent
VENV_BIN = Path(sys.executable).parent
ANALYSTS = 50
SIGN_INS_PER_SECOND = 2


def prepare(records: int) -> dict:
    """The demo data, N more records in the open round (submitted, so the analysts' round
    page counts them), fifty analysts with known second-factor keys, and an API token."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ctip.cases.models import Case
    from ctip.core.codes import Role
    from ctip.core.demo import DEMO_PASSWORD
    from ctip.core.models import ApiToken, Entity, User
    from ctip.core.services import TOKEN_PREFIX, hash_token
    from ctip.core.testing import make_entity
    from ctip.statistics.codes import RoundState
    from ctip.statistics.importing import import_file
    from ctip.statistics.models import PublishedRelease, ReportingRound, VictimRecord
    from ctip.statistics.services import submission_submit

    call_command("migrate", verbosity=0)
    if not User.objects.filter(email="caseworker@minusca.demo").exists():
        call_command("load_reference_data", verbosity=0)
        call_command("demo_data", "--seed", "1", verbosity=0)
    open_round = ReportingRound.objects.filter(state=RoundState.OPEN).order_by("-year").first()
    entity = Entity.objects.filter(code="LOADBENCH").first() or make_entity("LOADBENCH")
    focal = User.objects.filter(entity=entity, role=Role.FOCAL_POINT).first()
    if focal is None:
        focal = User.objects.create_user(
            email="focal@loadbench.demo",
            password=DEMO_PASSWORD,
            entity=entity,
            role=Role.FOCAL_POINT,
            full_name="Load bench",
        )
    present = VictimRecord.objects.filter(submission__entity=entity).count()
    if present < records:
        from import_records import write_file

        path = Path(os.environ["CTIP_DATA_DIR"]) / f"load-{records - present}.csv"
        write_file(path, records - present, year=open_round.year)
        started = time.perf_counter()
        result = import_file(
            actor=focal,
            entity=entity,
            round_=open_round,
            data=path.read_bytes(),
            filename=path.name,
            max_rows=records,
        )
        assert result.ok, result.as_dict()
        for submission in open_round.submissions.filter(entity=entity, status="draft"):
            submission_submit(actor=focal, submission=submission)
        print(f"imported {result.rows:,} records in {time.perf_counter() - started:.0f} s")
    analysts = []
    ctip_entity = Entity.objects.get(code="CTIP")
    for n in range(ANALYSTS):
        email = f"load-analyst-{n}@ctip.demo"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            entity=ctip_entity,
            role=Role.ANALYST,
            full_name=f"Load analyst {n}",
        )
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="load", confirmed=True)
        analysts.append((email, device.key))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=User.objects.get(email=analysts[0][0]),
        name="load bench",
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
    )
    caseworker = User.objects.get(email="caseworker@minusca.demo")
    sample = io.StringIO()
    writer = csv.writer(sample)
    writer.writerow(["year_of_identification", "country_of_detection", "sex"])
    writer.writerows([[open_round.year, "IRQ", "F"]] * 20)
    return {
        "password": DEMO_PASSWORD,
        "caseworker": caseworker.email,
        "focal_point": "focalpoint@minusca.demo",
        "analysts": analysts,
        "api_token": raw,
        "case_ids": list(
            Case.objects.filter(entity=caseworker.entity).values_list("pk", flat=True)[:50]
        ),
        "countries": ["NGA", "CAF", "IRQ", "UKR", "LBY", "ITA"],
        "published_year": PublishedRelease.objects.order_by("-round__year").first().round.year,
        "open_year": open_round.year,
        "import_csv": sample.getvalue(),
    }


def serve(port: int) -> subprocess.Popen:
    metrics = tempfile.mkdtemp(prefix="ctip-metrics-")
    env = {
        **os.environ,
        "CTIP_BIND": f"127.0.0.1:{port}",
        "PROMETHEUS_MULTIPROC_DIR": metrics,
        "CTIP_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    log = open(Path(os.environ["CTIP_DATA_DIR"]) / "gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "ctip.wsgi"],
        env=env,
        stdout=log,
        stderr=log,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(1)
    server.kill()
    raise SystemExit("gunicorn did not start; see gunicorn.log in CTIP_DATA_DIR")


def run(users: int, seconds: int, port: int, plan_path: Path, no_think: bool) -> list[dict]:
    prefix = Path(os.environ["CTIP_DATA_DIR"]) / f"load-{users}{'-nothink' if no_think else ''}"
    env = {
        **os.environ,
        "CTIP_LOAD_PLAN": str(plan_path),
        "CTIP_LOAD_NO_THINK": "1" if no_think else "0",
    }
    # Signed-in users arrive two a second: each sign-in is about 0.7 s of CPU (Argon2), and
    # sixty of them in ten seconds queue well into the measured minute, which is not the
    # steady state of 200 people at work. The minute is measured once all have arrived.
    rate = min(users, 20 if no_think else SIGN_INS_PER_SECOND)
    subprocess.run(  # noqa: S603
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(BENCH / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(rate),
            "-t",
            f"{-(-users // rate) + seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--reset-stats",  # the steady state, not the sign-ins of the ramp
        ],
        env=env,
        check=False,
        capture_output=True,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def report(label: str, rows: list[dict]) -> None:
    print(f"\n### {label}\n")
    print("| page or endpoint | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--users", default="10,50,200")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8799)
    options = parser.parse_args()
    plan = prepare(options.records)
    plan_path = Path(os.environ["CTIP_DATA_DIR"]) / "load-plan.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    from django.db import connection

    connection.close()
    server = serve(options.port)
    try:
        workers = os.environ.get("CTIP_WEB_WORKERS", str((os.cpu_count() or 1) + 1))
        threads = os.environ.get("CTIP_WEB_THREADS", "4")
        print(
            f"database: {connection.vendor}; records in the open round: {options.records:,}; "
            f"gunicorn {workers} workers x {threads} threads; {options.seconds} s a run"
        )
        for users in [int(u) for u in options.users.split(",")]:
            rows = run(users, options.seconds, options.port, plan_path, no_think=False)
            report(f"{users} users, 1-5 s think time", rows)
        rows = run(50, options.seconds, options.port, plan_path, no_think=True)
        report("50 public readers without think time", rows)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
