import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctip.core.audit import Checkpoint, audit_verify


class Command(BaseCommand):
    help = (
        "Check the audit log's keyed hash chain: exit 0 when intact, 1 naming the first bad "
        "event. With --checkpoint FILE (repeatable), also check that the history up to each "
        "checkpoint exported earlier (ctip audit_checkpoint) was not rewritten."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--checkpoint", action="append", default=[], metavar="FILE")

    def handle(self, *args, checkpoint, **options):  # type: ignore[no-untyped-def]
        checkpoints = []
        for path in checkpoint:
            try:
                checkpoints.append(Checkpoint.from_json(Path(path).read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError, ValueError) as error:
                raise CommandError(f"{path}: {error}") from error
        report = audit_verify(checkpoints)
        if report.intact:
            self.stdout.write(
                f"Audit chain intact: {report.events_checked} events checked"
                f", {report.checkpoints_matched} of {len(checkpoints)} checkpoints matched."
            )
            if report.unkeyed_events:
                self.stdout.write(
                    f"Note: the first {report.unkeyed_events} events predate keyed hashing "
                    "(plain SHA-256); only a checkpoint kept elsewhere protects them."
                )
            return
        self.stderr.write(
            f"Audit chain BROKEN at event {report.first_bad_sequence}: {report.problem} "
            f"({report.events_checked} events verified before it)."
        )
        sys.exit(1)
