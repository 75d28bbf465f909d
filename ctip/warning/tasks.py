"""The daily computation of the signals, run by the worker (`ctip worker` enqueues it once a
day, see `ctip.core.management.commands.worker`)."""

from __future__ import annotations

import datetime

from django_tasks import task

from ctip.warning import selectors
from ctip.warning.services import compute


@task()
def compute_signals(as_of: str) -> dict[str, int]:
    _results, run = compute(datetime.date.fromisoformat(as_of))
    return {"situations": run.situations, "alerts": run.alerts}


def enqueue_if_due(today: datetime.date) -> bool:
    """Enqueue today's computation unless today's was computed already."""
    if selectors.computed_for(today):
        return False
    compute_signals.enqueue(today.isoformat())
    return True
