"""JSON API of GLOTIP-framework reporting, scoped like the pages."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from ctip.core.models import User
from ctip.statistics import policies, selectors, services
from ctip.statistics.disclosure import CELL_KEY_FIELDS, published_value
from ctip.statistics.figures import submission_tables
from ctip.statistics.forms import MAX_UPLOAD_BYTES
from ctip.statistics.importing import import_file

router = Router(tags=["statistics"])
public_router = Router(tags=["public statistics"], auth=None)


class RoundOut(Schema):
    year: int
    deadline: date
    state: str


class SubmissionOut(Schema):
    id: int
    round: int
    entity: str
    country_of_detection: str
    status: str
    records: int
    submitted_at: datetime | None


class CellOut(Schema):
    indicator: str
    sex: str
    age: str
    dimension: str
    category: str
    value: int


class SubmissionDetailOut(SubmissionOut):
    table: list[CellOut]


class ImportOut(Schema):
    layout: str
    rows: int
    ok: bool
    dry_run: bool
    created: int
    updated: int
    error_count: int
    file_problem: str
    submissions: list[str]
    rounds: list[int] = Field(description="The years of the rounds the rows go into.")
    errors: list[dict]


class PublicCellOut(Schema):
    area: str
    indicator: str
    sex: str
    age: str
    dimension: str
    category: str
    value: int | None = Field(description="The number; null when the cell is hidden.")
    status: str = Field(
        description="SDMX CL_CONF_STATUS: F free; A hidden, fewer than the threshold; "
        "D hidden to protect another cell, nothing said about its size."
    )
    text: str = Field(description="As shown on the page: the number, “<k” or “C”.")
    suppressed: bool


class NoisyCellOut(Schema):
    area: str
    value: int


class FlowOut(Schema):
    origin: str = Field(description="ISO 3166-1 alpha-3 of the victims' citizenship.")
    destination: str = Field(description="ISO 3166-1 alpha-3 of the country of detection.")
    victims: int
    kind: str = Field(description="domestic, sub-regional, regional or trans-regional.")


class ReleaseOut(Schema):
    year: int
    version: int
    published_at: datetime
    method: str
    threshold: int
    cells: list[PublicCellOut]
    dp_epsilon: float | None = Field(description="ε of the differentially private table.")
    dp_cells: list[NoisyCellOut] = Field(
        description="Detected victims by country with discrete Laplace noise (ε above); "
        "countries whose count is hidden are left out."
    )
    flows: list[FlowOut] = Field(
        description="Detected victims by citizenship and country of detection, suppressed "
        "with the cells; a pair below the threshold, or hidden to protect one, is not listed."
    )


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _submission_out(s) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": s.pk,
        "round": s.round.year,
        "entity": s.entity.code,
        "country_of_detection": s.country_of_detection_id,
        "status": s.status,
        "records": s.record_count,
        "submitted_at": s.submitted_at,
    }


@router.get("/statistics/rounds", response=list[RoundOut])
def rounds(request: HttpRequest) -> list[dict]:
    return [{"year": r.year, "deadline": r.deadline, "state": r.state} for r in selectors.rounds()]


@router.get("/statistics/submissions", response=list[SubmissionOut])
def submissions(request: HttpRequest, year: int | None = None) -> list[dict]:
    found = selectors.submissions_for(user=_user(request))
    if year:
        found = found.filter(round__year=year)
    return [_submission_out(s) for s in found]


@router.get("/statistics/submissions/{submission_id}", response=SubmissionDetailOut)
def submission(request: HttpRequest, submission_id: int) -> dict:
    found = selectors.submission_get(user=_user(request), submission_id=submission_id)
    table = submission_tables([found.pk]).get(found.pk, {})
    return {
        **_submission_out(found),
        "table": [
            {
                "indicator": k[0],
                "sex": k[1],
                "age": k[2],
                "dimension": k[3],
                "category": k[4],
                "value": v,
            }
            for k, v in sorted(table.items())
        ],
    }


@router.post("/statistics/rounds/{year}/import", response=ImportOut)
def import_records(
    request: HttpRequest,
    year: int,
    file: UploadedFile = File(...),  # noqa: B008
    layout: Literal["", "ctip", "ctdc", "unodc", "sdmx-csv"] = Form(""),
    dry_run: bool = Form(False),
    country: str = Form("", pattern=r"^([A-Za-z]{3})?$"),
    encoding: Literal["", "utf-8", "utf-16", "latin-1"] = Form(""),
) -> dict:
    """Import a CSV or XLSX file into the caller's entity; all rows or none."""
    user = _user(request)
    policies.require(user, policies.REPORTERS)
    if file.size and file.size > MAX_UPLOAD_BYTES:
        raise HttpError(413, "file larger than 500 MB")
    result = import_file(
        actor=user,
        entity=user.entity,
        round_=selectors.round_get(year=year),
        data=file.read(),
        filename=file.name or "upload.csv",
        layout_name=layout or None,
        dry_run=dry_run,
        default_country=country.upper() or None,
        encoding=encoding,
    )
    return result.as_dict()


@public_router.get("/public/statistics/{year}", response=ReleaseOut)
def public_release(request: HttpRequest, year: int) -> dict:
    """The latest published release of a round: disclosure-controlled, open to everyone."""
    release = selectors.latest_release(year=year)
    return {
        "year": release.round.year,
        "version": release.version,
        "published_at": release.published_at,
        "method": release.method,
        "threshold": release.threshold,
        "cells": [
            {
                **{f: getattr(c, f) for f in CELL_KEY_FIELDS},
                **published_value(c.shown),  # type: ignore[dict-item]
                "suppressed": c.suppressed,
            }
            for c in selectors.release_cells(release)
        ],
        "dp_epsilon": release.dp_epsilon,
        "dp_cells": release.dp_cells,
        "flows": [vars(f) for f in selectors.release_flows(release)],
    }


@router.get("/statistics/rounds/{year}/coverage")
def round_coverage(request: HttpRequest, year: int) -> dict:
    """Analysts: expected submissions of a round against those received."""
    found = selectors.coverage(user=_user(request), round_=selectors.round_get(year=year))
    return {
        "expected": found.expected,
        "received": found.received,
        "on_time": found.on_time,
        "missing": found.missing,
        "unexpected": found.unexpected,
        "rows": [
            {
                "entity": r.entity,
                "country": r.country,
                "expected": r.expected,
                "state": r.state,
                "status": r.submission.status if r.submission else "",
            }
            for r in found.rows
        ],
    }


# --- the workflow from outside: submit, return, validate, publish -------------------------
# The pages' own services: their rules, their audit events. A submission is found through the
# caller's scope first, so another entity's is the same 404 as a missing one; a role the
# service refuses is 403 (api.py's PermissionDenied handler); a rule it refuses is a 400 with
# its messages.


class CommentIn(Schema):
    # the page's CommentForm limit; no NUL character, which PostgreSQL refuses
    comment: str = Field("", max_length=4_000, pattern=r"^[^\x00]*$")


class PublishIn(Schema):
    threshold: int = Field(services.DEFAULT_THRESHOLD, le=100)
    epsilon: float | None = None


class ProblemOut(Schema):
    field: str
    message: str


class RefusedOut(Schema):
    detail: str
    # absent when ninja itself refuses a body it cannot parse ({"detail": "Cannot parse…"})
    errors: list[ProblemOut] = []


class PublishedOut(Schema):
    year: int
    version: int
    published_at: datetime
    threshold: int
    epsilon: float | None
    submissions: int


def _refused(error: ValidationError) -> Status[dict[str, Any]]:
    """A service's ValidationError as a 400 listing its messages (field "" when general)."""
    problems = [
        {"field": "" if name == NON_FIELD_ERRORS else name, "message": str(message)}
        for name, messages in (
            error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
        )
        for message in messages
    ]
    return Status(400, {"detail": " ".join(p["message"] for p in problems), "errors": problems})


def _step(
    request: HttpRequest, submission_id: int, service: Callable[[User, Any], Any]
) -> Status[dict[str, Any]]:
    user = _user(request)
    found = selectors.submission_get(user=user, submission_id=submission_id)
    try:
        return Status(200, _submission_out(service(user, found)))
    except ValidationError as error:
        return _refused(error)


@router.post(
    "/statistics/submissions/{submission_id}/submit",
    response={200: SubmissionOut, 400: RefusedOut},
)
def submission_submit(request: HttpRequest, submission_id: int) -> Status[dict[str, Any]]:
    """Focal points: send the entity's data for validation (no errors, warnings explained)."""
    return _step(
        request,
        submission_id,
        lambda user, found: services.submission_submit(actor=user, submission=found),
    )


@router.post(
    "/statistics/submissions/{submission_id}/return",
    response={200: SubmissionOut, 400: RefusedOut},
)
def submission_return(
    request: HttpRequest, submission_id: int, payload: CommentIn
) -> Status[dict[str, Any]]:
    """Analysts: send submitted or validated data back to its focal point, saying why."""
    return _step(
        request,
        submission_id,
        lambda user, found: services.submission_return(
            actor=user, submission=found, comment=payload.comment
        ),
    )


@router.post(
    "/statistics/submissions/{submission_id}/validate",
    response={200: SubmissionOut, 400: RefusedOut},
)
def submission_validate(request: HttpRequest, submission_id: int) -> Status[dict[str, Any]]:
    """Analysts: accept submitted data (never one's own submission)."""
    return _step(
        request,
        submission_id,
        lambda user, found: services.submission_validate(actor=user, submission=found),
    )


@router.post("/statistics/rounds/{year}/publish", response={200: PublishedOut, 400: RefusedOut})
def round_publish(
    request: HttpRequest, year: int, payload: PublishIn | None = None
) -> Status[dict[str, Any]]:
    """Analysts: freeze the round's validated data into a new disclosure-controlled release."""
    user = _user(request)
    policies.require(user, policies.REVIEWERS)
    round_ = selectors.round_get(year=year)
    payload = payload or PublishIn(threshold=services.DEFAULT_THRESHOLD)
    try:
        release = services.round_publish(
            actor=user, round_=round_, threshold=payload.threshold, epsilon=payload.epsilon
        )
    except ValidationError as error:
        return _refused(error)
    return Status(
        200,
        {
            "year": round_.year,
            "version": release.version,
            "published_at": release.published_at,
            "threshold": release.threshold,
            "epsilon": release.dp_epsilon,
            "submissions": len(release.submission_ids),
        },
    )
