from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from ctip.core.models import Country


class Command(BaseCommand):
    help = "Load the synthetic demo data set (fictitious people). Deterministic and idempotent."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, seed, **options):  # type: ignore[no-untyped-def]
        if not Country.objects.exists():
            raise CommandError("Load reference data first: ctip load_reference_data")
        # Fictitious workflow steps must not e-mail anyone.
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        for path in settings.CTIP_DEMO_LOADERS:
            created = import_string(path)(seed=seed)
            summary = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in created.items())
            self.stdout.write(f"Demo data (seed {seed}, {path.split('.')[1]}): created {summary}.")
