"""Matrix entries of the surveys app: a survey, its responses and its unpublished estimates
are the owning entity's analysts' and focal points' (analysts publish); releases are
public."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.entries import ANALYST, SHARED, SURVEYORS, const, get, post, serial

A = "/api/v1"
RESPONSES = b"respondent_id,weight,sex,unpaid_work\nX-1,1,F,no\n"


def _url(suffix: str = ""):
    return lambda w: f"/surveys/{w.survey.code}/{suffix}"


SURVEYS = [
    get(
        "surveys/",
        const("/surveys/"),
        allowed=SURVEYORS,
        scope=SHARED,
        hidden=lambda w: w.survey.code,
    ),
    post(
        "surveys/",
        const("/surveys/"),
        allowed=SURVEYORS,
        scope=SHARED,
        data=lambda w: {
            "define": "1",
            "code": f"matrix-{next(serial)}",
            "title": "Matrix",
            "indicators": ["forced_work"],
            "min_n": "30",
            "current_wave": "1",
        },
    ),
    get("surveys/<slug:code>/", _url(), allowed=SURVEYORS),
    get("surveys/<slug:code>/form.xlsx", _url("form.xlsx"), allowed=SURVEYORS),
    get("surveys/<slug:code>/estimates.<str:fmt>", _url("estimates.csv"), allowed=SURVEYORS),
    post(
        "surveys/<slug:code>/<str:action>/",
        _url("import/"),
        allowed=SURVEYORS,
        ok=200,
        data=lambda w: {"file": SimpleUploadedFile("r.csv", RESPONSES), "dry_run": "on"},
    ),
    post(
        "surveys/<slug:code>/<str:action>/",
        _url("publish/"),
        allowed=ANALYST,
        variant="publish",
    ),
    get("public/surveys/", const("/public/surveys/"), public=True),
]

SURVEYS_API = [
    get(
        f"{A}/surveys",
        const(f"{A}/surveys"),
        allowed=SURVEYORS,
        scope=SHARED,
        hidden=lambda w: w.survey.code,
    ),
    get(
        f"{A}/surveys/{{code}}/estimates",
        lambda w: f"{A}/surveys/{w.survey.code}/estimates",
        allowed=SURVEYORS,
    ),
    get(f"{A}/public/surveys", const(f"{A}/public/surveys"), public=True),
]
