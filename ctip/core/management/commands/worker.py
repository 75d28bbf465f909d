import datetime
import threading

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ctip.core.models import WorkerHeartbeat
from ctip.core.services import job_inputs_expire, jobs_orphaned_fail

HEARTBEAT_SECONDS = 10


def _daily(done: set[datetime.date]) -> None:
    """Run or enqueue what is due once a day (the early-warning signals, the trust funds'
    report reminders, suppliers' checks expiring, follow-ups due), once per day."""
    today = timezone.localdate()
    if today not in done:
        from ctip.cases.services import follow_up_reminders
        from ctip.funds.services import report_reminders
        from ctip.suppliers.services import expiry_reminders
        from ctip.warning.tasks import enqueue_if_due

        enqueue_if_due(today)
        report_reminders(today)  # each reminder once: a second worker sends none again
        expiry_reminders(today)
        follow_up_reminders(today)
        done.add(today)


def _beat(worker_id: str, stop: threading.Event) -> None:
    done: set[datetime.date] = set()
    while not stop.is_set():
        try:
            close_old_connections()
            WorkerHeartbeat.objects.update_or_create(
                worker_id=worker_id, defaults={"last_seen": timezone.now()}
            )
            job_inputs_expire()  # a checked file is kept a day at most, not a day more
            jobs_orphaned_fail()  # a job whose worker was killed is not left "running"
            _daily(done)
        except Exception:  # noqa: S110 - a missed beat shows as 'down'; the worker keeps working
            pass
        stop.wait(HEARTBEAT_SECONDS)
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
    connection.close()


class Command(DbWorkerCommand):
    help = "Run the background-task worker, with a heartbeat that /healthz reports."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        stop = threading.Event()
        worker_id = options["worker_id"][:64]
        jobs_orphaned_fail(restarted=worker_id)  # what this id was running when it died
        beat = threading.Thread(target=_beat, args=(worker_id, stop), daemon=True)
        beat.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
            beat.join(timeout=5)
