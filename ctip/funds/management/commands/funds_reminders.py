from ctip.core.management.commands._base import CtipCommand, day_option
from ctip.funds.services import report_reminders


class Command(CtipCommand):
    help = (
        "Tell fund managers of grantees' reports due within 14 days and overdue; each "
        "report and kind once. The worker runs it daily; cron can too."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--today", default="", help="YYYY-MM-DD, for a look ahead")

    def handle(self, *args, today, **options):  # type: ignore[no-untyped-def]
        day = day_option("--today", today)
        self.stdout.write(f"{report_reminders(day)} reminders sent.")
