"""The permission matrix: one entry per (method, route) of every page and API operation.

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

from ctip.caselaw.demo import DECISIONS
from ctip.caselaw.forms import initial_from
from ctip.core.codes import Role
from ctip.core.testing import ALL_ROLES, TEST_PASSWORD
from ctip.statistics.codes import Indicator
from tests.security.world import (
    ALLEGATION,
    CASE,
    OPEN_YEAR,
    PUBLISHED_YEAR,
    SCREENING,
    TREATY,
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
_serial = itertools.count(1)

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
        return f"{self.method} {self.route}" + (f" [{self.variant}]" if self.variant else "")


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
    return {"file": SimpleUploadedFile("records.csv", csv), "dry_run": "on"}


def api_upload(w: World) -> dict[str, Any]:
    csv = records_csv(2, "IRQ", OPEN_YEAR)
    return {"file": SimpleUploadedFile("records.csv", csv), "dry_run": "true"}


def decision_form(w: World) -> dict[str, Any]:
    values = initial_from(w.decision)
    return {k: "" if v is None else v for k, v in values.items()}


def new_entity(w: World) -> dict[str, Any]:
    return {"code": f"MTX{next(_serial)}", "name": "Matrix entity", "kind": "ngo"}


def new_user(w: World) -> dict[str, Any]:
    return {
        "email": f"new.{next(_serial)}@matrix.test",
        "full_name": "New person",
        "entity": w.actors.entity.pk,
        "role": Role.CASEWORKER,
        "password": TEST_PASSWORD,
    }


def conflict(w: World) -> dict[str, Any]:
    return {"name": f"Conflict {next(_serial)}", "countries": ["IRQ"], "start_date": "2015-01-01"}


def response_form(w: World) -> dict[str, Any]:
    return {"country": "SYR", "year": str(1950 + next(_serial) % 70), "criminalization": "full"}


def new_round(w: World) -> dict[str, Any]:
    """A year with no round yet: 1990 onwards (the world's rounds are 2024 and 2025)."""
    return {"year": 1990 + next(_serial) % 30, "deadline": "2099-06-30"}


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


# --- the matrix ---------------------------------------------------------------------------

CORE = [
    get("", const("/"), allowed=EVERYONE, scope=SHARED),
    get("accounts/login/", const("/accounts/login/"), public=True, signed_in=302, unverified=302),
    post(
        "accounts/login/",
        const("/accounts/login/"),
        public=True,
        ok=200,
        data=lambda w: {"username": "nobody@matrix.test", "password": "wrong"},
    ),
    post("accounts/logout/", const("/accounts/logout/"), public=True),
    get("accounts/otp/", const("/accounts/otp/"), allowed=EVERYONE, scope=SHARED, unverified=200),
    post(
        "accounts/otp/",
        const("/accounts/otp/"),
        allowed=EVERYONE,
        scope=SHARED,
        ok=200,
        unverified=200,
        data=lambda w: {"code": "000000"},
    ),
    get("accounts/otp/setup/", const("/accounts/otp/setup/"), allowed=EVERYONE, scope=SHARED),
    post(
        "accounts/otp/setup/",
        const("/accounts/otp/setup/"),
        allowed=EVERYONE,
        scope=SHARED,
        ok=200,
        data=lambda w: {"code": "000000"},
    ),
    get("accounts/profile/", const("/accounts/profile/"), allowed=EVERYONE, scope=SHARED),
    post(
        "accounts/profile/",
        const("/accounts/profile/"),
        allowed=EVERYONE,
        scope=SHARED,
        ok=200,
        data=lambda w: {"create_token": "1", "name": "matrix"},
    ),
    post(
        "accounts/tokens/<int:token_id>/revoke/",
        lambda w: f"/accounts/tokens/{w.fresh_token().pk}/revoke/",
        allowed=frozenset({Role.CASEWORKER}),  # the token's owner only
    ),
    post(
        "i18n/setlang/", const("/i18n/setlang/"), public=True, data=lambda w: {"language": "en"}
    ),
    get("entities/", const("/entities/"), allowed=EVERYONE, scope=SHARED),
    post(
        "entities/", const("/entities/"), allowed=ADMIN, scope=SHARED, cross=ADMIN, data=new_entity
    ),
    get(
        "entities/<str:code>/",
        lambda w: f"/entities/{w.actors.entity.code}/",
        allowed=EVERYONE,
        cross=ADMIN,
    ),
    get("users/", const("/users/"), allowed=ADMIN, scope=SHARED, cross=ADMIN),
    post("users/", const("/users/"), allowed=ADMIN, scope=SHARED, cross=ADMIN, data=new_user),
    post(
        "users/<int:user_id>/",
        lambda w: f"/users/{w.fresh_user().pk}/",
        allowed=ADMIN,
        cross=ADMIN,
        data=lambda w: {"role": Role.FOCAL_POINT},
    ),
    get("countries/", const("/countries/"), allowed=EVERYONE, scope=SHARED),
    get("conflicts/", const("/conflicts/"), allowed=EVERYONE, scope=SHARED),
    get("conflicts/new/", const("/conflicts/new/"), allowed=ADMIN, scope=SHARED, cross=ADMIN),
    post(
        "conflicts/new/",
        const("/conflicts/new/"),
        allowed=ADMIN,
        scope=SHARED,
        cross=ADMIN,
        data=conflict,
    ),
    get(
        "conflicts/<int:situation_id>/",
        lambda w: f"/conflicts/{w.conflict.pk}/",
        allowed=ADMIN,
        scope=SHARED,
        cross=ADMIN,
    ),
    post(
        "conflicts/<int:situation_id>/",
        lambda w: f"/conflicts/{w.conflict.pk}/",
        allowed=ADMIN,
        scope=SHARED,
        cross=ADMIN,
        data=conflict,
    ),
    get("audit/", const("/audit/"), allowed=ADMIN, scope=SHARED, cross=ADMIN),
    post("audit/verify/", const("/audit/verify/"), allowed=ADMIN, scope=SHARED, cross=ADMIN),
    post("audit/export/", const("/audit/export/"), allowed=ADMIN, scope=SHARED, cross=ADMIN),
    post(
        "audit/checkpoint/",
        const("/audit/checkpoint/"),
        allowed=ADMIN,
        scope=SHARED,
        cross=ADMIN,
        ok=200,
    ),
    get(
        "jobs/<str:job_id>/",
        lambda w: f"/jobs/{w.job.pk}/",
        allowed=frozenset({Role.FOCAL_POINT}),  # whoever started the job
    ),
    get(
        "jobs/<str:job_id>/download/",
        lambda w: f"/jobs/{w.job.pk}/download/",
        allowed=frozenset({Role.FOCAL_POINT}),
    ),
    get("notifications/", const("/notifications/"), allowed=EVERYONE, scope=SHARED),
    get("healthz", const("/healthz"), public=True),
]

CASES = [
    get(
        "cases/",
        const("/cases/"),
        allowed=FIELD,
        scope=SHARED,
        hidden=lambda w: w.case.reference,
    ),
    get(
        "cases/screen/<str:indicator_set>/",
        const("/cases/screen/ilo_forced_labour/"),
        allowed=FIELD,
        scope=SHARED,
    ),
    post(
        "cases/screen/<str:indicator_set>/",
        const("/cases/screen/ilo_forced_labour/"),
        allowed=FIELD,
        scope=SHARED,
        data=lambda w: SCREENING,
    ),
    get("cases/xlsform.xlsx", const("/cases/xlsform.xlsx"), allowed=FIELD, scope=SHARED),
    get(
        "cases/new/",
        lambda w: f"/cases/new/?screening={w.screening.pk}",
        allowed=FIELD,
    ),
    post(
        "cases/new/",
        const("/cases/new/"),
        allowed=FIELD,
        scope=SHARED,
        data=lambda w: {**CASE, "names": f"N{next(_serial)}"},
    ),
    get("cases/referrals/", const("/cases/referrals/"), allowed=FIELD, scope=SHARED),
    get(
        "cases/referrals/<int:pk>/",
        lambda w: f"/cases/referrals/{w.referral.pk}/",
        allowed=FIELD,
    ),
    post(
        "cases/referrals/<int:pk>/",
        lambda w: f"/cases/referrals/{w.referral.pk}/",
        allowed=FIELD,
        data=lambda w: {"answer": "accept"},
    ),
    get("cases/directory/", const("/cases/directory/"), allowed=FIELD, scope=SHARED),
    post(
        "cases/directory/",
        const("/cases/directory/"),
        allowed=frozenset({Role.FOCAL_POINT}),
        scope=SHARED,
        data=lambda w: {"service": "shelter", "country": "SYR", "area": ""},
    ),
    get(
        "cases/tips/",
        const("/cases/tips/"),
        allowed=FIELD,
        scope=SHARED,
        hidden=lambda w: "Girls kept in a house",
    ),
    post(
        "cases/tips/",
        const("/cases/tips/"),
        allowed=FIELD,
        data=lambda w: {"tip": w.tip.pk, "status": "screening", "note": "Team sent"},
    ),
    get("public/tips/", const("/public/tips/"), public=True),
    post("public/tips/", const("/public/tips/"), public=True, ok=200, data=tip),
    get("cases/<int:pk>/refer/", lambda w: f"/cases/{w.case.pk}/refer/", allowed=FIELD),
    post(
        "cases/<int:pk>/refer/",
        lambda w: f"/cases/{w.case.pk}/refer/",
        allowed=FIELD,
        data=lambda w: {"to_entity": w.provider.code, "services": ["shelter"], "parts": ["profile"]},
    ),
    get("cases/<int:pk>/", lambda w: f"/cases/{w.case.pk}/", allowed=FIELD),
    post(
        "cases/<int:pk>/<str:action>/",
        lambda w: f"/cases/{w.case.pk}/identity/",
        allowed=FIELD,  # the assigned caseworker and the focal points
    ),
    post(
        "cases/<int:pk>/<str:action>/",
        lambda w: f"/cases/{w.fresh_case().pk}/status/",
        allowed=FIELD,
        data=lambda w: {"status": "closed"},
        variant="status",
    ),
]

STATISTICS = [
    get("statistics/", const("/statistics/"), allowed=REPORTERS, scope=SHARED),
    post(
        "statistics/",
        const("/statistics/"),
        allowed=ANALYSTS,
        scope=SHARED,
        cross=ANALYSTS,
        data=new_round,
    ),
    get(
        "statistics/rounds/<int:year>/",
        const(f"/statistics/rounds/{OPEN_YEAR}/"),
        allowed=REPORTERS,
        scope=SHARED,
        cross=ANALYSTS,
        hidden=lambda w: f"/statistics/submissions/{w.submission.pk}/",
    ),
    post(
        "statistics/rounds/<int:year>/start/",
        const(f"/statistics/rounds/{OPEN_YEAR}/start/"),
        allowed=FIELD,
        scope=SHARED,
        data=lambda w: {"country": "SYR"},
    ),
    get(
        "statistics/rounds/<int:year>/import/",
        const(f"/statistics/rounds/{OPEN_YEAR}/import/"),
        allowed=FIELD,
        scope=SHARED,
    ),
    post(
        "statistics/rounds/<int:year>/import/",
        const(f"/statistics/rounds/{OPEN_YEAR}/import/"),
        allowed=FIELD,
        scope=SHARED,
        data=upload,
    ),
    get(
        "statistics/rounds/<int:year>/template.xlsx",
        const(f"/statistics/rounds/{OPEN_YEAR}/template.xlsx"),
        allowed=REPORTERS,
        scope=SHARED,
    ),
    post(
        "statistics/rounds/<int:year>/publish/",
        const(f"/statistics/rounds/{PUBLISHED_YEAR}/publish/"),
        allowed=ANALYST,
        scope=SHARED,
        cross=ANALYST,
        data=lambda w: {"threshold": "5"},
    ),
    get(
        "statistics/rounds/<int:year>/export/<str:fmt>/",
        const(f"/statistics/rounds/{OPEN_YEAR}/export/csv/"),
        allowed=ANALYSTS,
        scope=SHARED,
        cross=ANALYSTS,
    ),
    post(
        "statistics/rounds/<int:year>/dedup/",
        const(f"/statistics/rounds/{OPEN_YEAR}/dedup/"),
        allowed=ANALYST,
        scope=SHARED,
        cross=ANALYST,
    ),
    post(
        "statistics/rounds/<int:year>/expected/",
        const(f"/statistics/rounds/{OPEN_YEAR}/expected/"),
        allowed=ANALYSTS,
        scope=SHARED,
        cross=ANALYSTS,
        data=lambda w: {"action": "propose"},
    ),
    post(
        "statistics/clusters/<int:cluster_id>/",
        lambda w: f"/statistics/clusters/{w.cluster.pk}/",
        allowed=ANALYST,
        scope=SHARED,
        cross=ANALYST,
        data=lambda w: {"decision": "same"},
    ),
    get(
        "statistics/imports/<str:job_id>/",
        lambda w: f"/statistics/imports/{w.job.pk}/",
        allowed=frozenset({Role.FOCAL_POINT}),  # whoever started the import
    ),
    get(
        "statistics/submissions/<int:submission_id>/",
        lambda w: f"/statistics/submissions/{w.submission.pk}/",
        allowed=REPORTERS,
        cross=ANALYSTS,
    ),
    post(
        "statistics/submissions/<int:submission_id>/grid/",
        lambda w: f"/statistics/submissions/{w.submission.pk}/grid/",
        allowed=FIELD,
        data=lambda w: {CELL: "5", "dimension": "Total"},
    ),
    post(
        "statistics/submissions/<int:submission_id>/submit/",
        lambda w: f"/statistics/submissions/{w.submission.pk}/submit/",
        allowed=frozenset({Role.FOCAL_POINT}),
    ),
    post(
        "statistics/submissions/<int:submission_id>/explain/",
        lambda w: f"/statistics/submissions/{w.submission.pk}/explain/",
        allowed=FIELD,
        data=lambda w: {"rule": "matrix", "cell": "total", "comment": "Checked twice"},
    ),
    post(
        "statistics/submissions/<int:submission_id>/<str:decision>/",
        lambda w: f"/statistics/submissions/{w.submission.pk}/validate/",
        allowed=ANALYST,
        cross=ANALYST,
    ),
    get("public/statistics/", const("/public/statistics/"), public=True),
    get("public/statistics/sdmx-dsd.xml", const("/public/statistics/sdmx-dsd.xml"), public=True),
    get(
        "public/statistics/<int:year>/",
        const(f"/public/statistics/{PUBLISHED_YEAR}/"),
        public=True,
    ),
    get(
        "public/statistics/<int:year>/",
        const(f"/public/statistics/{OPEN_YEAR}/"),
        public=True,
        ok=404,
        variant="unpublished round",
    ),
    get(
        "public/statistics/<int:year>/<str:fmt>/",
        const(f"/public/statistics/{PUBLISHED_YEAR}/csv/"),
        public=True,
    ),
    get(
        "public/statistics/<int:year>/<str:fmt>/",
        const(f"/public/statistics/{OPEN_YEAR}/csv/"),
        public=True,
        ok=404,
        variant="unpublished round",
    ),
]

CASELAW = [
    get(
        "caselaw/",
        const("/caselaw/"),
        allowed=EDITORS,
        scope=SHARED,
        cross=ADMIN,
        hidden=lambda w: w.draft.title,
    ),
    get("caselaw/new/", const("/caselaw/new/"), allowed=EDITORS, scope=SHARED),
    post(
        "caselaw/new/", const("/caselaw/new/"), allowed=EDITORS, scope=SHARED, data=decision_form
    ),
    get("caselaw/<int:pk>/", lambda w: f"/caselaw/{w.draft.pk}/", allowed=EDITORS, cross=ADMIN),
    get(
        "caselaw/<int:pk>/",
        lambda w: f"/caselaw/{w.decision.pk}/",
        allowed=EDITORS,
        cross=ADMIN,
        variant="published",
    ),
    get(
        "caselaw/<int:pk>/edit/",
        lambda w: f"/caselaw/{w.draft.pk}/edit/",
        allowed=EDITORS,
        cross=ADMIN,
    ),
    post(
        "caselaw/<int:pk>/edit/",
        lambda w: f"/caselaw/{w.draft.pk}/edit/",
        allowed=EDITORS,
        cross=ADMIN,
        data=decision_form,
    ),
    post(
        "caselaw/<int:pk>/publish/",
        lambda w: f"/caselaw/{w.fresh_draft().pk}/publish/",
        allowed=EDITORS,
        cross=ADMIN,
    ),
    get("public/caselaw/", const("/public/caselaw/"), public=True),
    get("public/caselaw/digest/", const("/public/caselaw/digest/"), public=True),
    get("public/caselaw/export.<str:fmt>", const("/public/caselaw/export.csv"), public=True),
    get("public/caselaw/<int:pk>/", lambda w: f"/public/caselaw/{w.decision.pk}/", public=True),
    get(
        "public/caselaw/<int:pk>/",
        lambda w: f"/public/caselaw/{w.draft.pk}/",
        public=True,
        ok=404,
        variant="draft",
    ),
]

COUNTRIES = [
    get(
        "legislation/",
        const("/legislation/"),
        allowed=EDITORS,
        scope=SHARED,
        cross=ADMIN,
        hidden=lambda w: f"/legislation/{w.response.pk}/edit/",
    ),
    post(
        "legislation/",
        const("/legislation/"),
        allowed=EDITORS,
        scope=SHARED,
        ok=200,
        data=lambda w: {"kind": "nothing"},
    ),
    get("legislation/new/", const("/legislation/new/"), allowed=EDITORS, scope=SHARED),
    post(
        "legislation/new/",
        const("/legislation/new/"),
        allowed=EDITORS,
        scope=SHARED,
        data=response_form,
    ),
    get(
        "legislation/<int:pk>/edit/",
        lambda w: f"/legislation/{w.response.pk}/edit/",
        allowed=EDITORS,
        cross=ADMIN,
    ),
    post(
        "legislation/<int:pk>/edit/",
        lambda w: f"/legislation/{w.response.pk}/edit/",
        allowed=EDITORS,
        cross=ADMIN,
        data=lambda w: {"country": "IRQ", "year": "2023", "criminalization": "partial"},
    ),
    get("public/countries/", const("/public/countries/"), public=True),
    get("public/countries/<str:alpha3>/", const("/public/countries/IRQ/"), public=True),
    get("public/treaties/", const("/public/treaties/"), public=True),
    get("public/treaties/<str:code>/", const(f"/public/treaties/{TREATY}/"), public=True),
    get(
        "public/treaties/<str:code>/export.<str:fmt>",
        const(f"/public/treaties/{TREATY}/export.csv"),
        public=True,
    ),
    get(
        "public/national-response/export.<str:fmt>",
        const("/public/national-response/export.csv"),
        public=True,
    ),
]

CONDUCT_PAGES = [
    get(
        "conduct/",
        const("/conduct/"),
        allowed=CONDUCT,
        scope=SHARED,
        hidden=lambda w: w.allegation.reference,
    ),
    get(
        "conduct/export.<str:fmt>",
        const("/conduct/export.csv"),
        allowed=CONDUCT,
        scope=SHARED,
        hidden=lambda w: w.allegation.reference,
    ),
    get("conduct/new/", const("/conduct/new/"), allowed=CONDUCT, scope=SHARED),
    post(
        "conduct/new/", const("/conduct/new/"), allowed=CONDUCT, scope=SHARED, data=lambda w: ALLEGATION
    ),
    get("conduct/vetting/", const("/conduct/vetting/"), allowed=CONDUCT, scope=SHARED),
    post(
        "conduct/vetting/",
        const("/conduct/vetting/"),
        allowed=CONDUCT,
        scope=SHARED,
        ok=200,
        data=lambda w: {"identifier": "P-99999", "purpose": "deployment"},
    ),
    get(
        "conduct/certifications/",
        const("/conduct/certifications/"),
        allowed=CONDUCT,
        scope=SHARED,
        hidden=lambda w: "Battalion 9",
    ),
    post(
        "conduct/certifications/",
        const("/conduct/certifications/"),
        allowed=CONDUCT,
        scope=SHARED,
        data=lambda w: {"country": "PAK", "unit": "Battalion 9", "deployed_on": "2026-01-01"},
    ),
    get("conduct/patterns/", const("/conduct/patterns/"), allowed=CONDUCT, scope=SHARED),
    get("conduct/<int:pk>/", lambda w: f"/conduct/{w.allegation.pk}/", allowed=CONDUCT),
    post(
        "conduct/<int:pk>/<str:action>/",
        lambda w: f"/conduct/{w.allegation.pk}/step/",
        allowed=CONDUCT,
        data=lambda w: {"step": "victim_safe"},
    ),
    post(
        "conduct/<int:pk>/<str:action>/",
        lambda w: f"/conduct/{w.allegation.pk}/identities/",
        allowed=CONDUCT,
        variant="identities",
    ),
    get("public/conduct/", const("/public/conduct/"), public=True),
    get("public/conduct/report/", const("/public/conduct/report/"), public=True),
    post(
        "public/conduct/report/",
        const("/public/conduct/report/"),
        public=True,
        ok=200,
        data=public_report,
    ),
]

A = "/api/v1"
API = [
    get(f"{A}/me", const(f"{A}/me"), allowed=EVERYONE, scope=SHARED),
    get(f"{A}/entities", const(f"{A}/entities"), allowed=EVERYONE, scope=SHARED),
    get(
        f"{A}/entities/{{code}}",
        lambda w: f"{A}/entities/{w.actors.entity.code}",
        allowed=EVERYONE,
        cross=ADMIN,
    ),
    get(f"{A}/countries", const(f"{A}/countries"), allowed=EVERYONE, scope=SHARED),
    get(f"{A}/code-lists", const(f"{A}/code-lists"), allowed=EVERYONE, scope=SHARED),
    get(f"{A}/code-lists/{{name}}", const(f"{A}/code-lists/sex"), allowed=EVERYONE, scope=SHARED),
    get(
        f"{A}/conflict-situations",
        const(f"{A}/conflict-situations"),
        allowed=EVERYONE,
        scope=SHARED,
    ),
    get(f"{A}/audit-events", const(f"{A}/audit-events"), allowed=ADMIN, scope=SHARED, cross=ADMIN),
    get(
        f"{A}/jobs/{{job_id}}",
        lambda w: f"{A}/jobs/{w.job.pk}",
        allowed=frozenset({Role.FOCAL_POINT}),
    ),
    get(f"{A}/statistics/rounds", const(f"{A}/statistics/rounds"), allowed=EVERYONE, scope=SHARED),
    get(
        f"{A}/statistics/submissions",
        const(f"{A}/statistics/submissions"),
        allowed=REPORTERS,
        scope=SHARED,
        cross=ANALYSTS,
        hidden=lambda w: f'"entity": "{w.actors.entity.code}"',
    ),
    get(
        f"{A}/statistics/submissions/{{submission_id}}",
        lambda w: f"{A}/statistics/submissions/{w.submission.pk}",
        allowed=REPORTERS,
        cross=ANALYSTS,
    ),
    post(
        f"{A}/statistics/rounds/{{year}}/import",
        const(f"{A}/statistics/rounds/{OPEN_YEAR}/import"),
        allowed=FIELD,
        scope=SHARED,
        ok=200,
        data=api_upload,
    ),
    get(
        f"{A}/statistics/rounds/{{year}}/coverage",
        const(f"{A}/statistics/rounds/{OPEN_YEAR}/coverage"),
        allowed=ANALYSTS,
        scope=SHARED,
        cross=ANALYSTS,
    ),
    get(
        f"{A}/public/statistics/{{year}}",
        const(f"{A}/public/statistics/{PUBLISHED_YEAR}"),
        public=True,
    ),
    get(
        f"{A}/public/statistics/{{year}}",
        const(f"{A}/public/statistics/{OPEN_YEAR}"),
        public=True,
        ok=404,
        variant="unpublished round",
    ),
    post(
        f"{A}/caselaw/decisions",
        const(f"{A}/caselaw/decisions"),
        allowed=EDITORS,
        scope=SHARED,
        ok=200,
        json=True,
        data=lambda w: {**DECISIONS[2], "title": f"API draft {next(_serial)}"},
    ),
    post(
        f"{A}/caselaw/decisions/{{decision_id}}/publish",
        lambda w: f"{A}/caselaw/decisions/{w.fresh_draft().pk}/publish",
        allowed=EDITORS,
        cross=ADMIN,
        ok=200,
        json=True,
    ),
    get(f"{A}/public/caselaw", const(f"{A}/public/caselaw"), public=True),
    get(
        f"{A}/public/caselaw/{{decision_id}}",
        lambda w: f"{A}/public/caselaw/{w.decision.pk}",
        public=True,
    ),
    get(
        f"{A}/public/caselaw/{{decision_id}}",
        lambda w: f"{A}/public/caselaw/{w.draft.pk}",
        public=True,
        ok=404,
        variant="draft",
    ),
    post(
        f"{A}/countries/treaty-status/{{code}}",
        const(f"{A}/countries/treaty-status/{TREATY}"),
        allowed=EDITORS,
        scope=SHARED,
        ok=200,
        json=True,
        data=lambda w: TREATY_ROWS,
    ),
    post(
        f"{A}/countries/national-response",
        const(f"{A}/countries/national-response"),
        allowed=EDITORS,
        scope=SHARED,
        ok=200,
        json=True,
        data=lambda w: {
            "dry_run": True,
            "rows": [{"country": "SYR", "year": "2022", "criminalization": "full"}],
        },
    ),
    get(f"{A}/public/treaties", const(f"{A}/public/treaties"), public=True),
    get(f"{A}/public/treaties/{{code}}", const(f"{A}/public/treaties/{TREATY}"), public=True),
    get(f"{A}/public/national-response", const(f"{A}/public/national-response"), public=True),
    get(f"{A}/public/countries/{{alpha3}}", const(f"{A}/public/countries/IRQ"), public=True),
    get(
        f"{A}/conduct/allegations",
        const(f"{A}/conduct/allegations"),
        allowed=CONDUCT,
        scope=SHARED,
        hidden=lambda w: w.allegation.reference,
    ),
    post(
        f"{A}/conduct/allegations",
        const(f"{A}/conduct/allegations"),
        allowed=CONDUCT,
        scope=SHARED,
        ok=200,
        json=True,
        data=lambda w: ALLEGATION,
    ),
    get(f"{A}/public/conduct/statistics", const(f"{A}/public/conduct/statistics"), public=True),
]

MATRIX: list[Entry] = [*CORE, *CASES, *STATISTICS, *CASELAW, *COUNTRIES, *CONDUCT_PAGES, *API]
