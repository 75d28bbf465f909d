"""Test helpers every CTIP app uses: actors of each role, signed-in clients, the permission matrix.

A permission matrix states, for one URL, which roles may use it; `assert_access` then checks
anonymous (sent to sign-in / 401), every role of the owning entity (allowed → expected status,
others → 403 or 404) and every role of another entity (always 404 when the URL shows one
entity's records), so no page or endpoint ships without its access rules tested.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctip.core import services
from ctip.core.codes import EntityKind, Role
from ctip.core.models import Entity, User

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105
ALL_ROLES: tuple[str, ...] = tuple(Role.values)
_counter = itertools.count(1)


def make_entity(code: str | None = None, kind: str = EntityKind.UN_MISSION) -> Entity:
    code = code or f"ENT{next(_counter)}"
    return services.entity_create(actor=None, code=code, name=f"{code} test entity", kind=kind)


def make_user(entity: Entity, role: str = Role.CASEWORKER, email: str | None = None) -> User:
    email = email or f"{role}.{next(_counter)}@{entity.code.lower()}.test"
    return services.user_create(
        actor=None,
        email=email,
        full_name=f"{role} of {entity.code}",
        entity=entity,
        role=role,
        password=TEST_PASSWORD,
    )


def confirmed_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def signed_in_client(user: User, *, verified: bool = True, **client_kwargs: object) -> Client:
    """A client with a session for `user`, past the second factor unless verified=False."""
    client = Client(**client_kwargs)  # type: ignore[arg-type]
    client.force_login(user)
    if verified:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
        session.save()
    return client


def token_client(user: User) -> Client:
    """A client with a personal token, minted as from a session past the second factor."""
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    _token, raw = services.api_token_create(actor=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@dataclass
class Actors:
    """One user per role in `entity`, and one per role in `other_entity`."""

    entity: Entity
    other_entity: Entity
    by_role: dict[str, User] = field(default_factory=dict)
    other_by_role: dict[str, User] = field(default_factory=dict)

    @classmethod
    def create(cls) -> Actors:
        actors = cls(make_entity(), make_entity())
        for role in ALL_ROLES:
            actors.by_role[role] = make_user(actors.entity, role)
            actors.other_by_role[role] = make_user(actors.other_entity, role)
        return actors


def _request(client: Client, method: str, url: str, data: dict | None) -> int:
    response = getattr(client, method)(url, data=data or {})
    return int(response.status_code)


def assert_access(
    actors: Actors,
    url: str,
    *,
    allowed: Iterable[str],
    method: str = "get",
    data: dict | None = None,
    ok: int = 200,
    denied: Iterable[int] = (403, 404),
    other_entity_sees: bool = False,
    cross_entity: Iterable[str] = (Role.ADMINISTRATOR,),
    api: bool = False,
) -> None:
    """Check one URL against the roles that may use it. See the module docstring.

    `cross_entity`: allowed roles that also see other entities' records (administrators run
    the system; analysts work on pseudonymised data across entities where a page says so).
    """
    allowed = set(allowed)
    cross_entity = set(cross_entity)
    denied = set(denied)
    anonymous = _request(Client(), method, url, data)
    expected_anonymous = {401} if api else {302}
    assert anonymous in expected_anonymous, f"anonymous {method} {url}: {anonymous}"
    make_client = token_client if api else signed_in_client
    for role in ALL_ROLES:
        status = _request(make_client(actors.by_role[role]), method, url, data)
        if role in allowed:
            assert status == ok, f"{role} of own entity: {method} {url} gave {status}, want {ok}"
        else:
            assert status in denied, f"{role} must be refused {method} {url}, got {status}"
        other = _request(make_client(actors.other_by_role[role]), method, url, data)
        if other_entity_sees and role in allowed:
            assert other == ok, f"{role} of other entity: {method} {url} gave {other}"
        elif role in cross_entity and role in allowed:
            assert other == ok, f"{role} works across entities: {url} gave {other}"
        else:
            want = denied if role not in allowed else {404}
            assert other in want, f"{role} of another entity reached {method} {url}: {other}"


# --- lists (ctip.core.listing) ---------------------------------------------------------------

INJECTION = "' OR 1=1 --<script>alert(1)</script>"  # for a list's search box, sort and page


def found_in_list(page: str) -> str:
    """How many rows a list page says it found ("12")."""
    return page.split('data-testid="list-count">', 1)[1].split(" ", 1)[0]


def database_url(name: str = "") -> str:
    """The test database's URL, or that of database `name` on the same PostgreSQL server,
    for a `ctip` command run in a process of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name or db['NAME']}"


def process_env(url: str, keyring: str) -> dict[str, str]:
    """The environment of such a process: its database and its keys."""
    return {
        **os.environ,
        "CTIP_DATABASE_URL": url,
        "CTIP_ENCRYPTION_KEYS": keyring,
        "DJANGO_SETTINGS_MODULE": "ctip.settings",
    }
