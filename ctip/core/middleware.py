from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

# Paths a signed-in user may reach before passing the second factor.
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/api/", "/public/")


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


class TwoFactorMiddleware:
    """A signed-in user who has (or must have) a second factor passes it before anything else.

    Users with a confirmed device go to the code page; analysts and administrators without
    one are sent to set one up. API requests with a session get 401 instead of a redirect.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user  # django-otp adds is_verified() to it
        if user.is_authenticated and not user.is_verified():
            has_device = user_has_device(user)
            if has_device or user.requires_two_factor:
                if request.path.startswith("/api/") and "HTTP_AUTHORIZATION" not in request.META:
                    return JsonResponse(
                        {"detail": "two-factor authentication required"}, status=401
                    )
                if not request.path.startswith(OPEN_PREFIXES):
                    target = "core:otp_verify" if has_device else "core:otp_setup"
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)
