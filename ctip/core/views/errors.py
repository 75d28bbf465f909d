"""The error pages Django renders when a view fails, without touching the database."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database cannot be reached (stopped, restarting, out of
    connections): a moment's outage to wait out, not a fault to report. Each write commits
    whole or not at all, so the page can say that nothing half-done was kept."""
    if not is_outage(sys.exc_info()[1]):
        return defaults.server_error(request)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": _("The database cannot be reached. Try again in a minute.")}, status=503
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# PostgreSQL's classes for a connection lost or refused (08) and a server shutting down or
# starting (57P0x); SQLite's for a file it cannot open or a lock held too long.
OUTAGE_SQLSTATES = ("08", "57P0")
SQLITE_OUTAGES = ("unable to open database", "database is locked", "disk i/o error")


def is_outage(error: BaseException | None) -> bool:
    """Whether a database error means the database cannot be reached just now, as opposed
    to a bug (a missing table, a deadlock, a statement timeout) that must stay a 500."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    state = getattr(error.__cause__, "sqlstate", None)
    if state is not None:
        return str(state).startswith(OUTAGE_SQLSTATES)
    text = str(error).lower()
    return "connection" in text or any(reason in text for reason in SQLITE_OUTAGES)
