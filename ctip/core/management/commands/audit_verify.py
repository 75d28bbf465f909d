import sys

from django.core.management.base import BaseCommand

from ctip.core.audit import audit_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain: exit 0 when intact, 1 naming the first bad event."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        report = audit_verify()
        if report.intact:
            self.stdout.write(f"Audit chain intact: {report.events_checked} events checked.")
            return
        self.stderr.write(
            f"Audit chain BROKEN at event {report.first_bad_sequence}: {report.problem} "
            f"({report.events_checked} events verified before it)."
        )
        sys.exit(1)
