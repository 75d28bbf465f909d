"""How a permission-matrix entry is written: one per (method, route) of every page and API
operation, and the POST data the entries send.

An entry says who may use the route — anyone (`public`), or which roles of the entity that
owns what the URL names (`allowed`) — what an allowed role gets (`ok`), and what a user of
ANOTHER entity gets: `OBJECT` routes name one entity's record, so another entity's users get
404 (or 403) unless their role works across entities (`cross`); `SHARED` routes are lists or
forms scoped to the viewer, so another entity's allowed users get `ok` too, and `hidden` (a
text of the own entity's record) must appear to the own entity and never to the other.

The URL and the POST data are functions of the world, called once per request, so that a
request that changes what it names can have an object of its own (`world.fresh_case()`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from ctip.caselaw.forms import initial_from
from ctip.core.codes import Role
from ctip.core.testing import ALL_ROLES, TEST_PASSWORD
from ctip.statistics.codes import Indicator
from tests.security.world import (
    OPEN_YEAR,
    World,
    records_csv,
)

OBJECT, SHARED = "object", "shared"
EVERYONE = frozenset(ALL_ROLES)
FIELD = frozenset({Role.CASEWORKER, Role.FOCAL_POINT})
REPORTERS = frozenset({Role.FOCAL_POINT, Role.CASEWORKER, Role.ANALYST, Role.ADMINISTRATOR})
ANALYSTS = frozenset({Role.ANALYST, Role.ADMINISTRATOR})
ANALYST = frozenset({Role.ANALYST})
EDITORS = frozenset({Role.LEGAL_OFFICER, Role.ADMINISTRATOR})
ADMIN = frozenset({Role.ADMINISTRATOR})
CONDUCT = frozenset({Role.CONDUCT_OFFICER})
MONITOR = frozenset({Role.MONITOR})
PATTERNS = frozenset({Role.MONITOR, Role.ANALYST})
FOCAL = frozenset({Role.FOCAL_POINT})
SURVEYORS = frozenset({Role.ANALYST, Role.FOCAL_POINT})
serial = itertools.count(1)

Data = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Entry:
    method: str
    route: str  # as urls.py writes it (`cases/<int:pk>/`), or the API's full path
    url: Callable[[World], str]
    allowed: frozenset[str] = frozenset()
    public: bool = False
    ok: int = 200
    scope: str = OBJECT
    cross: frozenset[str] = frozenset()
    data: Data | None = None
    json: bool = False
    hidden: Callable[[World], str] | None = None
    never: str = ""  # a text no answer may contain, whoever asks (an identity, a draft)
    signed_in: int | None = None  # public routes: what a signed-in user gets, if not `ok`
    unverified: int | None = None  # a page open before the second factor: its status then
    variant: str = ""  # a second entry for one route (another object, another action)

    @property
    def api(self) -> bool:
        return self.route.startswith("/api/")

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.route)

    @property
    def id(self) -> str:
        return f"{self.method} {self.route or '/'}" + (f" [{self.variant}]" if self.variant else "")


def get(route: str, url: Callable[[World], str], **kwargs: Any) -> Entry:
    return Entry("GET", route, url, **kwargs)


def post(route: str, url: Callable[[World], str], **kwargs: Any) -> Entry:
    kwargs.setdefault("ok", 302)
    return Entry("POST", route, url, **kwargs)


def const(url: str) -> Callable[[World], str]:
    return lambda w: url


# --- POST data ------------------------------------------------------------------------------


def upload(w: World) -> dict[str, Any]:
    csv = records_csv(2, "IRQ", OPEN_YEAR)
    return {"file": SimpleUploadedFile("records.csv", csv)}  # the page checks first


def api_upload(w: World) -> dict[str, Any]:
    csv = records_csv(2, "IRQ", OPEN_YEAR)
    return {"file": SimpleUploadedFile("records.csv", csv), "dry_run": "true"}


def decision_form(w: World) -> dict[str, Any]:
    values = initial_from(w.decision)
    return {k: "" if v is None else v for k, v in values.items()}


def new_entity(w: World) -> dict[str, Any]:
    return {"code": f"MTX{next(serial)}", "name": "Matrix entity", "kind": "ngo"}


def new_user(w: World) -> dict[str, Any]:
    return {
        "email": f"new.{next(serial)}@matrix.test",
        "full_name": "New person",
        "entity": w.actors.entity.pk,
        "role": Role.CASEWORKER,
        "password": TEST_PASSWORD,
    }


def conflict(w: World) -> dict[str, Any]:
    return {"name": f"Conflict {next(serial)}", "countries": ["IRQ"], "start_date": "2015-01-01"}


def response_form(w: World) -> dict[str, Any]:
    return {"country": "SYR", "year": str(1950 + next(serial) % 70), "criminalization": "full"}


def new_round(w: World) -> dict[str, Any]:
    """A year with no round yet: 1990 onwards (the world's rounds are 2024 and 2025)."""
    return {"year": 1990 + next(serial) % 30, "deadline": "2099-06-30"}


CELL = f"cell|{Indicator.values[0]}|_T|_T|Total"
TREATY_ROWS = {
    "source": "matrix",
    "dry_run": True,
    "rows": [
        {"Participant": "Iraq", "Signature": "", "Ratification, Accession(a)": "9 Feb 2009 a"}
    ],
}
PUBLIC_REPORT = {
    "category": "sexual_exploitation",
    "personnel_category": "military",
    "victims_count": "1",
    "account": "Seen near the gate",
}


def public_report(w: World) -> dict[str, Any]:
    return {**PUBLIC_REPORT, "entity": w.actors.entity.code}


def tip(w: World) -> dict[str, Any]:
    return {"entity": w.actors.entity.code, "what": "A house behind the market", "where": "PK5"}
