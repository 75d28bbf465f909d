from django.core.management.base import BaseCommand, CommandError

from ctip.core.demo import load_demo_data
from ctip.core.models import Country


class Command(BaseCommand):
    help = "Load the synthetic demo data set (fictitious people). Deterministic and idempotent."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, seed, **options):  # type: ignore[no-untyped-def]
        if not Country.objects.exists():
            raise CommandError("Load reference data first: ctip load_reference_data")
        created = load_demo_data(seed=seed)
        summary = ", ".join(f"{count} {what.replace('_', ' ')}" for what, count in created.items())
        self.stdout.write(f"Demo data (seed {seed}): created {summary}.")
