from django.core.management.base import BaseCommand
from django.db import transaction

from ctip.core.audit import AuditAction, audit_record
from ctip.core.management.commands._base import command_label
from ctip.core.reference import load_reference_data


class Command(BaseCommand):
    help = (
        "Load countries (UN names in the six UN languages, ISO 3166 codes) and the UN M49 "
        "regions. Safe to run again."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            counts = load_reference_data()
            audit_record(
                actor=None,
                actor_label=command_label("load_reference_data"),
                action=AuditAction.REFERENCE_LOADED,
                details=counts,
            )
        self.stdout.write(
            f"Reference data: {counts['countries']} countries, {counts['regions']} regions."
        )
