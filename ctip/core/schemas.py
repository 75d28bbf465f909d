from datetime import date, datetime
from uuid import UUID

from ninja import Schema


class EntityOut(Schema):
    code: str
    name: str
    kind: str
    country: str | None


class MemberOut(Schema):
    email: str
    full_name: str
    role: str


class EntityDetailOut(EntityOut):
    members: list[MemberOut]


class MeOut(Schema):
    email: str
    full_name: str
    role: str
    entity: str
    two_factor: bool


class CountryOut(Schema):
    alpha3: str
    alpha2: str
    numeric: str
    name: str
    region: str | None
    subregion: str | None
    intermediate_region: str | None


class CodeOut(Schema):
    code: str
    label: str


class ConflictSituationOut(Schema):
    id: int
    name: str
    countries: list[str]
    start_date: date
    end_date: date | None


class AuditEventOut(Schema):
    sequence: int
    created_at: datetime
    actor: str
    entity: str | None
    action: str
    object_type: str
    object_id: str
    details: dict
    hash: str


class JobOut(Schema):
    id: UUID
    kind: str
    status: str
    progress_done: int
    progress_total: int
    percent: int
    message: str
    download_url: str | None


class ErrorOut(Schema):
    detail: str
