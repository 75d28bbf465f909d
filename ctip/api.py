"""The JSON API at /api/v1/: personal tokens or the browser session, one scoping for both."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from ctip.core.models import ApiToken, User
from ctip.core.policies import needs_second_factor
from ctip.core.services import hash_token

TOKEN_TOUCH_SECONDS = 60


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ctip_…` with a personal token from the profile page.

    A request that sends an Authorization header is judged by it alone: an unknown, revoked
    or malformed token is 401 even when the same browser also has a session.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = (
            ApiToken.objects.select_related("user__entity")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if (
            row.last_used_at is None
            or (now - row.last_used_at).total_seconds() > TOKEN_TOUCH_SECONDS
        ):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class VerifiedSessionAuth(SessionAuth):
    """The browser session, only past its second factor and only without an Authorization
    header (a request with one is the token's to answer, never the session's)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        user = request.user
        if not user.is_authenticated or needs_second_factor(user):  # type: ignore[arg-type]
            return None
        return user  # type: ignore[return-value]


api = NinjaAPI(
    title="CTIP API",
    version="1",
    description="Information system against trafficking in persons. Every answer is scoped to "
    "the caller's entity and role, exactly as the pages are.",
    auth=[TokenAuth(), VerifiedSessionAuth(csrf=True)],
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "forbidden"}, status=403)


def _mount() -> None:
    from ctip.caselaw.api import public_router as caselaw_public
    from ctip.caselaw.api import router as caselaw_router
    from ctip.conduct.api import public_router as conduct_public
    from ctip.conduct.api import router as conduct_router
    from ctip.core.api import router as core_router
    from ctip.countries.api import public_router as countries_public
    from ctip.countries.api import router as countries_router
    from ctip.funds.api import public_router as funds_public
    from ctip.funds.api import router as funds_router
    from ctip.incidents.api import public_router as incidents_public
    from ctip.incidents.api import router as incidents_router
    from ctip.statistics.api import public_router
    from ctip.statistics.api import router as statistics_router
    from ctip.suppliers.api import router as suppliers_router
    from ctip.surveys.api import public_router as surveys_public
    from ctip.surveys.api import router as surveys_router
    from ctip.warning.api import public_router as warning_public
    from ctip.warning.api import router as warning_router

    api.add_router("/", core_router)
    api.add_router("/", statistics_router)
    api.add_router("/", public_router)
    api.add_router("/", caselaw_router)
    api.add_router("/", caselaw_public)
    api.add_router("/", countries_router)
    api.add_router("/", countries_public)
    api.add_router("/", conduct_router)
    api.add_router("/", conduct_public)
    api.add_router("/", incidents_router)
    api.add_router("/", incidents_public)
    api.add_router("/", surveys_router)
    api.add_router("/", surveys_public)
    api.add_router("/", warning_router)
    api.add_router("/", warning_public)
    api.add_router("/", funds_router)
    api.add_router("/", funds_public)
    api.add_router("/", suppliers_router)


_mount()
