import datetime

from django.core.management.base import CommandError

from ctip.core.management.commands._base import CtipCommand
from ctip.funds.services import report_reminders


class Command(CtipCommand):
    help = (
        "Tell fund managers of grantees' reports due within 14 days and overdue; each "
        "report and kind once. The worker runs it daily; cron can too."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--today", default="", help="YYYY-MM-DD, for a look ahead")

    def handle(self, *args, today, **options):  # type: ignore[no-untyped-def]
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(
                f"--today must be a date such as 2026-12-31, not {today!r}."
            ) from None
        self.stdout.write(f"{report_reminders(day)} reminders sent.")
