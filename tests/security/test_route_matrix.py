"""Every page and API route against its permission-matrix entry (issue 11).

A route without an entry fails, and so does an entry whose route is gone. Each entry is then
requested by: anonymous; every role of the entity that owns what the URL names; every role of
another entity; a session that has passed the password but not the second factor; and, for
the API, a personal token per role and a bad bearer token beside a verified session.
"""

from __future__ import annotations

import itertools
import re

import pytest
from django.http import HttpResponse
from django.test import Client

from ctip.core import services
from ctip.core.codes import Role
from ctip.core.models import User
from ctip.core.testing import ALL_ROLES, TEST_PASSWORD, signed_in_client
from tests.security.matrix import MATRIX, SHARED, Entry
from tests.security.routes import api_mounted_routes, api_operations, page_routes
from tests.security.world import World

pytestmark = pytest.mark.django_db
DENIED = {403, 404}
SIGN_IN, SECOND_FACTOR = "/accounts/login/", "/accounts/otp/"
_address = itertools.count(1)

# Entries that show a real access bug: the test must fail until the app is fixed (strict).
KNOWN_BUGS: dict[str, str] = {}


def _client(**extra: str) -> dict[str, str]:
    """Each client its own address, so the per-address limits of the public forms do not
    turn the matrix's many requests into 429s."""
    n = next(_address)
    return {"REMOTE_ADDR": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}", **extra}


def token_client(user: User) -> Client:
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    _token, raw = services.api_token_create(actor=user, name="matrix")
    return Client(**_client(HTTP_AUTHORIZATION=f"Bearer {raw}"))


def password_only_client(user: User) -> Client:
    """Signed in with the password, the code not given: the second factor still to pass."""
    client = Client(**_client())
    response = client.post(SIGN_IN, {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(SECOND_FACTOR), response["Location"]
    return client


def send(client: Client, entry: Entry, world: World) -> HttpResponse:
    url = entry.url(world)
    if entry.method == "GET":
        return client.get(url)
    data = entry.data(world) if entry.data else {}
    if entry.json:
        return client.post(url, data=data, content_type="application/json")
    return client.post(url, data=data)


def where(response: HttpResponse) -> str:
    return response.get("Location", "") if response.status_code in (301, 302) else ""


def body(response: HttpResponse) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _params() -> list:
    return [
        pytest.param(
            entry,
            id=entry.id,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[entry.id])]
            if entry.id in KNOWN_BUGS
            else [],
        )
        for entry in MATRIX
    ]


# --- the matrix and the routes stay in step ---------------------------------------------


def _api_pattern(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_page_route_has_an_entry():
    missing = page_routes() - {e.route for e in MATRIX if not e.api}
    assert not missing, f"routes outside the permission matrix: {sorted(missing)}"


def test_every_api_operation_has_an_entry():
    missing = api_operations() - {e.key for e in MATRIX if e.api}
    assert not missing, f"API operations outside the permission matrix: {sorted(missing)}"


def test_every_entry_names_a_route_that_exists():
    routes = page_routes() | {f"{m} {p}" for m, p in api_operations()}
    stale = {e.id for e in MATRIX if (f"{e.method} {e.route}" if e.api else e.route) not in routes}
    assert not stale, f"matrix entries for routes that no longer exist: {sorted(stale)}"


def test_the_api_operations_are_all_the_api_routes():
    assert {_api_pattern(r) for r in api_mounted_routes()} == {p for _m, p in api_operations()}


def test_entries_are_unique():
    ids = [e.id for e in MATRIX]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]


# --- each entry, requested by everyone ---------------------------------------------------


@pytest.mark.parametrize("entry", _params())
def test_route(world: World, entry: Entry):
    problems: list[str] = []

    def expect(who: str, response: HttpResponse, ok: bool, want: str) -> None:
        if not ok:
            got = f"{response.status_code} {where(response)}".strip()
            problems.append(f"{who}: got {got}, want {want}")
        if entry.never and response.status_code == 200 and entry.never in body(response):
            problems.append(f"{who}: the answer shows {entry.never!r}")

    # anonymous
    response = send(Client(**_client()), entry, world)
    if entry.public:
        expect("anonymous", response, response.status_code == entry.ok, str(entry.ok))
    elif entry.api:
        expect("anonymous", response, response.status_code == 401, "401")
    else:
        expect("anonymous", response, where(response).startswith(SIGN_IN), f"302 {SIGN_IN}")

    # every role of the owning entity, and of another entity
    def make(user: User) -> Client:
        return token_client(user) if entry.api else signed_in_client(user, **_client())

    for role in ALL_ROLES:
        own = send(make(world.own(role)), entry, world)
        other = send(make(world.other(role)), entry, world)
        _check_role(entry, world, role, own, other, expect)

    # a session past the password only
    user = world.own(min(entry.allowed) if entry.allowed else Role.ANALYST)
    response = send(password_only_client(user), entry, world)
    if entry.public:
        want = entry.unverified or entry.signed_in or entry.ok
        expect("password only", response, response.status_code == want, str(want))
    elif entry.api:
        expect("password only", response, response.status_code == 401, "401")
    elif entry.unverified:
        ok = response.status_code == entry.unverified
        expect("password only", response, ok, str(entry.unverified))
    else:
        ok = where(response).startswith(SECOND_FACTOR)
        expect("password only", response, ok, f"302 {SECOND_FACTOR}")

    # the API: a bad bearer token is judged alone, even beside a verified session
    if entry.api:
        client = signed_in_client(user, **_client(HTTP_AUTHORIZATION="Bearer x"))
        response = send(client, entry, world)
        want = entry.ok if entry.public else 401
        expect("bad bearer + session", response, response.status_code == want, str(want))

    # a form or API write from a verified session, without the CSRF token: refused
    if entry.method == "POST":
        client = signed_in_client(user, enforce_csrf_checks=True, **_client())
        response = send(client, entry, world)
        expect("session without CSRF token", response, response.status_code == 403, "403")

    assert not problems, f"{entry.id}:\n  " + "\n  ".join(problems)


def _check_role(entry, world, role, own, other, expect) -> None:  # type: ignore[no-untyped-def]
    hidden = entry.hidden(world) if entry.hidden else None
    if entry.public:
        want = entry.signed_in or entry.ok
        expect(f"own {role}", own, own.status_code == want, str(want))
        expect(f"other {role}", other, other.status_code == want, str(want))
        return
    if role not in entry.allowed:
        expect(f"own {role}", own, own.status_code in DENIED, "403/404")
        expect(f"other {role}", other, other.status_code in DENIED, "403/404")
        return
    expect(f"own {role}", own, _succeeded(entry, own), _want(entry))
    if hidden is not None and own.status_code == 200:
        expect(f"own {role} (shows {hidden!r})", own, hidden in body(own), "it shown")
    if role in entry.cross:
        expect(f"other {role} (cross-entity)", other, _succeeded(entry, other), _want(entry))
    elif entry.scope == SHARED:
        expect(f"other {role}", other, _succeeded(entry, other), _want(entry))
        if hidden is not None and other.status_code == 200:
            expect(f"other {role} sees {hidden!r}", other, hidden not in body(other), "hidden")
    else:
        expect(f"other {role}", other, other.status_code in DENIED, "403/404")


def _succeeded(entry: Entry, response: HttpResponse) -> bool:
    if response.status_code != entry.ok:
        return False
    target = where(response)
    return not target.startswith((SIGN_IN, SECOND_FACTOR))


def _want(entry: Entry) -> str:
    return f"{entry.ok}" + (" (not to sign-in)" if entry.ok == 302 else "")
