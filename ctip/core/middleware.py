import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from ctip.core.policies import needs_second_factor

# Paths anyone may reach, signed in or not, before the second factor. The API is here
# because its authentication (ctip.api) applies the same rule and answers 401, not a redirect;
# /healthz and /metrics (exact paths: its own bearer token opens it) answer no one's session.
OPEN_PREFIXES = ("/static/", "/api/", "/public/")
OPEN_PATHS = {"/healthz", "/metrics"}


class SecurityHeadersMiddleware:
    """Content security policy and the headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", settings.CTIP_CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class RefuseNulBytesMiddleware:
    """A NUL character in a URL, query string or form field is never something a person
    typed, and PostgreSQL refuses it in any text value: answer 400 before any view or query
    meets it, instead of a 500 deep in a page. The API's bodies, forms included, are left to
    its schemas: reading a multipart body here would leave none for them to parse."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_form = request.content_type in _FORM_TYPES and not request.path.startswith("/api/")
        form = request.POST if is_form else {}
        values = [request.path, *request.GET.keys(), *form.keys()]
        values += [v for source in (request.GET, form) for v in source.values()]  # type: ignore[attr-defined]
        if any("\x00" in value for value in values):
            return HttpResponseBadRequest(
                _("The request holds a NUL character, which no field accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class TwoFactorMiddleware:
    """A signed-in user who has (or must have) a second factor passes it before anything else.

    Before it, a session reaches only the sign-in, second-factor and language pages and the
    public ones: users with a confirmed device go to the code page, analysts and
    administrators without one to set one up. The API is left to its own authentication
    (`ctip.api`), which refuses such a session and never falls back from a bad token to it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if (
            not request.path.startswith(OPEN_PREFIXES)
            and request.path not in OPEN_PATHS
            and request.path not in _pre_verification_paths()
            and needs_second_factor(user)
        ):
            target = "core:otp_verify" if user_has_device(user) else "core:otp_setup"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)


def _pre_verification_paths() -> set[str]:
    names = ("login", "logout", "otp_verify", "otp_setup", "set_language")
    return {reverse(f"core:{name}") for name in names}


class SessionRefreshMiddleware:
    """A session expires CTIP_SESSION_SECONDS after its last request. Writing it on every
    request to push that back is a database write per page; it is written again once a
    minute at most instead, so a session left idle expires within a minute of the limit."""

    KEY = "_ctip_refreshed"
    EVERY_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= self.EVERY_SECONDS:
                session[self.KEY] = now  # modified: saved, and its expiry pushed back
        return response
