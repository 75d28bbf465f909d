"""Benchmark: audit log appends per second and full-chain verification time."""

import os
import resource
import sys
import tempfile
import time

os.environ.setdefault("CTIP_DATA_DIR", tempfile.mkdtemp(prefix="ctip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from ctip.core.audit import AuditAction, audit_record, audit_verify  # noqa: E402


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    for n in range(count):
        audit_record(
            actor=None,
            action=AuditAction.IDENTITY_VIEWED,
            details={"fields": ["full_name"], "n": n},
        )
    append_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = audit_verify()
    verify_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}")
    print(f"events: {count}")
    print(f"append: {append_seconds:.1f} s ({count / append_seconds:,.0f} events/s)")
    checked = report.events_checked
    print(f"verify: {verify_seconds:.1f} s ({checked:,} checked, intact={report.intact})")
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
