"""The core app's JSON API: thin handlers over the same selectors the pages use."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django_otp import user_has_device
from ninja import Router
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.pagination import LimitOffsetPagination, paginate

from ctip.core import selectors
from ctip.core.codes import CODE_LISTS
from ctip.core.models import AuditEvent, Country, Entity, Job, User
from ctip.core.schemas import (
    AuditEventOut,
    CodeOut,
    ConflictSituationOut,
    CountryOut,
    EntityDetailOut,
    EntityOut,
    ErrorOut,
    JobOut,
    MeOut,
)

router = Router(tags=["core"])


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def request_invalid(error: ValidationError) -> RequestInvalid:
    """A service's ValidationError as the API's 422, one entry per bad field."""
    return RequestInvalid(
        [
            {"loc": ["body", "payload", name], "msg": text, "type": "value_error"}
            for name, texts in error.message_dict.items()
            for text in texts
        ]
    )


def entity_out(entity: Entity) -> dict:
    return {
        "code": entity.code,
        "name": entity.name,
        "kind": entity.kind,
        "country": entity.country_id,
    }


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict:
    user = _user(request)
    return {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "entity": user.entity.code,
        "two_factor": user_has_device(user),
    }


@router.get("/entities", response=list[EntityOut])
def entities(request: HttpRequest) -> list[dict]:
    return [entity_out(e) for e in selectors.entity_directory()]


@router.get("/entities/{code}", response={200: EntityDetailOut, 404: ErrorOut})
def entity(request: HttpRequest, code: str) -> dict:
    user = _user(request)
    found = selectors.entity_get(user=user, code=code)
    members = selectors.entity_members(user=user, entity=found)
    return {**entity_out(found), "members": list(members.values("email", "full_name", "role"))}


@router.get("/countries", response=list[CountryOut])
def countries(request: HttpRequest, region: str = "") -> list[dict]:
    rows = selectors.countries(region=region)
    return [_country_out(c) for c in rows]


def _country_out(country: Country) -> dict:
    return {
        "alpha3": country.alpha3,
        "alpha2": country.alpha2,
        "numeric": country.numeric,
        "name": country.name,
        "region": country.region_id,
        "subregion": country.subregion_id,
        "intermediate_region": country.intermediate_region_id,
    }


@router.get("/code-lists", response=list[str])
def code_lists(request: HttpRequest) -> list[str]:
    return sorted(CODE_LISTS)


@router.get("/code-lists/{name}", response={200: list[CodeOut], 404: ErrorOut})
def code_list(request: HttpRequest, name: str, lang: str = "") -> list[dict]:
    choices = CODE_LISTS.get(name)
    if choices is None:
        raise HttpError(404, "unknown code list")
    with translation.override(lang or translation.get_language()):
        return [{"code": value, "label": str(label)} for value, label in choices.choices]


@router.get("/conflict-situations", response=list[ConflictSituationOut])
def conflict_situations(request: HttpRequest) -> list[dict]:
    return [
        {
            "id": s.id,
            "name": s.name,
            "start_date": s.start_date,
            "end_date": s.end_date,
            "countries": sorted(c.alpha3 for c in s.countries.all()),
        }
        for s in selectors.conflict_situations()
    ]


@router.get("/audit-events", response={200: list[AuditEventOut], 403: ErrorOut})
@paginate(LimitOffsetPagination)
def audit_events(request: HttpRequest, action: str = "", entity: str = "") -> list[dict]:
    events = selectors.audit_events_for(
        user=_user(request), filters=selectors.AuditFilter(action=action, entity=entity)
    )
    return [_event_out(e) for e in events]


def _event_out(event: AuditEvent) -> dict:
    return {
        "sequence": event.sequence,
        "created_at": event.created_at,
        "actor": event.actor_label,
        "entity": event.entity.code if event.entity else None,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "details": event.details,
        "hash": event.hash,
    }


@router.get("/jobs/{job_id}", response={200: JobOut, 404: ErrorOut})
def job(request: HttpRequest, job_id: str) -> dict:
    found: Job = selectors.job_get(user=_user(request), job_id=job_id)
    download = reverse("core:job_download", args=[found.id]) if found.result_name else None
    return {
        "id": found.id,
        "kind": found.kind,
        "status": found.status,
        "progress_done": found.progress_done,
        "progress_total": found.progress_total,
        "percent": found.percent,
        "message": found.message,
        "download_url": download,
    }
