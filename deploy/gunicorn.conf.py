"""Gunicorn settings for CTIP: `gunicorn -c deploy/gunicorn.conf.py ctip.wsgi` (make serve
uses it). Sizes come from the environment; see docs/operations.md for what they trade."""

import os

bind = os.environ.get("CTIP_BIND", "127.0.0.1:8000")
# One process more than cores: a worker waiting on the database leaves a core to another
# (bench/RESULTS.md, "Load": 177 → 221 requests/s from 2 to 3 workers on 2 cores).
workers = int(os.environ.get("CTIP_WEB_WORKERS", str((os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("CTIP_WEB_THREADS", "4"))
# CTIP logs each request itself (logger ctip.request, with its request id and without the
# query string, which may hold a name typed into a search box): no second access log here.
accesslog = None
errorlog = "-"
# Keep a client's connection open between its requests (a person reads a page for seconds;
# a proxy reuses its upstream connections): closed sooner, a request sent as it closes is
# reset (seen under load at gunicorn's default of 2 s).
keepalive = int(os.environ.get("CTIP_WEB_KEEPALIVE", "75"))
# A request that has not finished in this long is cut, and its worker replaced.
timeout = int(os.environ.get("CTIP_WEB_TIMEOUT", "120"))


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """Drop a finished worker's live figures from /metrics (prometheus_client's multiprocess
    mode, on when PROMETHEUS_MULTIPROC_DIR is set); its counters stay counted."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
