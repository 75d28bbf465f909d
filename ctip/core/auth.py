from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from ctip.core.models import User


class EmailBackend(ModelBackend):
    """Sign-in by email, case-insensitively; inactive accounts cannot sign in."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        return super().authenticate(
            request, username=username.strip().lower(), password=password, **kwargs
        )


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account key for lockout: the email as typed, normalised, so that changing its
    letter case does not buy an attacker a fresh set of attempts."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()
