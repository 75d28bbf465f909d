"""Gunicorn settings for CTIP: `gunicorn -c deploy/gunicorn.conf.py ctip.wsgi` (make serve
uses it). Sizes come from the environment; see docs/operations.md for what they trade."""

import os

bind = os.environ.get("CTIP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CTIP_WEB_WORKERS", "2"))
threads = int(os.environ.get("CTIP_WEB_THREADS", "4"))
# CTIP logs each request itself (logger ctip.request, with its request id and without the
# query string, which may hold a name typed into a search box): no second access log here.
accesslog = None
errorlog = "-"
# A request that has not finished in this long is cut, and its worker replaced.
timeout = int(os.environ.get("CTIP_WEB_TIMEOUT", "120"))


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """Drop a finished worker's live figures from /metrics (prometheus_client's multiprocess
    mode, on when PROMETHEUS_MULTIPROC_DIR is set); its counters stay counted."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
