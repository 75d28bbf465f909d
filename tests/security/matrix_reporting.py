"""Matrix entries of the statistics, case law and countries pages."""

from __future__ import annotations

from ctip.core.codes import Role
from tests.security.entries import (
    ADMIN,
    ANALYST,
    ANALYSTS,
    CELL,
    EDITORS,
    FIELD,
    REPORTERS,
    SHARED,
    const,
    decision_form,
    get,
    new_round,
    post,
    response_form,
    upload,
)
from tests.security.world import DRAFT_TITLE, OPEN_YEAR, PUBLISHED_YEAR, TREATY

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
    get(
        "statistics/rounds/<int:year>/publish/",
        const(f"/statistics/rounds/{PUBLISHED_YEAR}/publish/?threshold=5"),
        allowed=ANALYST,
        scope=SHARED,
        cross=ANALYST,
    ),
    post(
        "statistics/rounds/<int:year>/state/",
        const(f"/statistics/rounds/{OPEN_YEAR}/state/"),
        allowed=ANALYSTS,
        scope=SHARED,
        cross=ANALYSTS,
        data=lambda w: {"state": "open"},  # already open: refused with a message, harmless
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
    post(
        "statistics/imports/<str:job_id>/import/",
        lambda w: f"/statistics/imports/{w.job.pk}/import/",
        allowed=frozenset({Role.FOCAL_POINT}),  # whoever made the check
    ),
    get(
        "statistics/submissions/<int:submission_id>/",
        lambda w: f"/statistics/submissions/{w.submission.pk}/",
        allowed=REPORTERS,
        cross=ANALYSTS,
    ),
    get(
        "statistics/submissions/<int:submission_id>/records/",
        lambda w: f"/statistics/submissions/{w.submission.pk}/records/",
        allowed=FIELD | ANALYST,
        cross=ANALYST,  # administrators see submissions, not their records
    ),
    post(
        "statistics/submissions/<int:submission_id>/records/",
        lambda w: f"/statistics/submissions/{w.submission.pk}/records/",
        allowed=FIELD | ANALYST,
        cross=ANALYST,  # administrators see submissions, not their records
        data=lambda w: {},  # unconfirmed: refused with a message, nothing deleted
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
    get(
        "caselaw/",
        const("/caselaw/?export=csv"),
        allowed=EDITORS,
        scope=SHARED,
        cross=ADMIN,
        hidden=lambda w: w.draft.title,
        variant="export",
    ),
    get("caselaw/new/", const("/caselaw/new/"), allowed=EDITORS, scope=SHARED),
    post("caselaw/new/", const("/caselaw/new/"), allowed=EDITORS, scope=SHARED, data=decision_form),
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
    get("public/caselaw/", const("/public/caselaw/?q=Matrix"), public=True, never=DRAFT_TITLE),
    get("public/caselaw/digest/", const("/public/caselaw/digest/"), public=True),
    get(
        "public/caselaw/export.<str:fmt>",
        const("/public/caselaw/export.csv"),
        public=True,
        never=DRAFT_TITLE,
    ),
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
    get(
        "legislation/",
        lambda w: f"/legislation/?export=csv&year={w.response.year}",
        allowed=EDITORS,
        scope=SHARED,
        cross=ADMIN,
        hidden=lambda w: f"Iraq,{w.response.year},",  # its row
        variant="export",
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
