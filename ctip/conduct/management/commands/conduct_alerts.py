from ctip.conduct.services import deadline_alerts
from ctip.core.management.commands._base import CtipCommand, day_option


class Command(CtipCommand):
    help = (
        "Tell conduct officers about investigations due in 30 and 7 days and overdue; each "
        "alert once. Run daily (cron or a systemd timer)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--today", default="", help="YYYY-MM-DD, for a dry look ahead")

    def handle(self, *args, today, **options):  # type: ignore[no-untyped-def]
        day = day_option("--today", today)
        self.stdout.write(f"{deadline_alerts(day)} alerts sent.")
