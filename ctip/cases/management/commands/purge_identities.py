from django.conf import settings

from ctip.cases.services import identities_purge
from ctip.core.management.commands._base import CtipCommand, command_label


class Command(CtipCommand):
    help = (
        "Delete the identity (names, date of birth, contacts, documents, narrative, "
        "best-interests assessment) of cases closed longer than CTIP_CASE_RETENTION_DAYS. "
        "The pseudonymous part and the timeline stay. Audited. Run daily or weekly."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, **options):  # type: ignore[no-untyped-def]
        count = identities_purge(dry_run=dry_run, actor_label=command_label("purge_identities"))
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(
            f"{count} case identities {verb} (retention {settings.CTIP_CASE_RETENTION_DAYS} days)."
        )
