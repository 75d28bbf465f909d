from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctip.core.audit import AuditAction, audit_checkpoint, audit_record


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of the audit chain (its last sequence and hash) to FILE. "
        "Keep it apart from the database and its backups; ctip audit_verify --checkpoint FILE "
        "then shows whether the history up to it was rewritten."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path")

    def handle(self, *args, path, **options):  # type: ignore[no-untyped-def]
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} exists: write each checkpoint to a new file.")
        checkpoint = audit_checkpoint()
        target.write_text(checkpoint.to_json() + "\n", encoding="utf-8")
        audit_record(
            actor=None,
            actor_label="cli:audit_checkpoint",
            action=AuditAction.AUDIT_CHECKPOINT,
            details={"sequence": checkpoint.sequence},
        )
        self.stdout.write(f"Checkpoint at event {checkpoint.sequence} written to {target}.")
