"""Published shapes of the conduct app: the API's request and response bodies, and the row
that leaves the system in an export. None of them carries an identity on the way out."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from ctip.conduct.codes import Category, Channel, PersonnelCategory
from ctip.conduct.services import MAX_PEOPLE, TEXT_LIMITS

# the optional fields a client may send as "" for "not given" (as the form does)
OPTIONAL = (
    "incident_date",
    "reported_on",
    "victims_count",
    "victims_minors",
    "victims_female",
    "victims_male",
    "personnel_category",
    "contingent_country",
)


class AllegationIn(Schema):
    """An allegation to record. Codes are the code lists' values; counts are whole numbers;
    dates are ISO 8601 (YYYY-MM-DD) and not in the future. Identities and the account are
    encrypted at rest; the subject's identifier is kept only as a keyed hash, for vetting."""

    channel: Channel
    category: Category
    incident_date: datetime.date | None = None
    reported_on: datetime.date | None = Field(None, description="Today when not given.")
    victims_count: int | None = Field(1, ge=0, le=MAX_PEOPLE)
    victims_minors: int | None = Field(0, ge=0, le=MAX_PEOPLE)
    victims_female: int | None = Field(0, ge=0, le=MAX_PEOPLE)
    victims_male: int | None = Field(0, ge=0, le=MAX_PEOPLE)
    victim_identities: str = Field("", max_length=TEXT_LIMITS["victim_identities"])
    personnel_category: PersonnelCategory | None = PersonnelCategory.UNKNOWN
    contingent_country: str | None = Field(
        None, pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3, e.g. PAK."
    )
    unit: str = Field("", max_length=TEXT_LIMITS["unit"])
    subject_identity: str = Field("", max_length=TEXT_LIMITS["subject_identity"])
    subject_identifier: str = Field(
        "", max_length=200, description="Personnel or identity number; kept only as a hash."
    )
    account: str = Field("", max_length=TEXT_LIMITS["account"])

    @field_validator(*OPTIONAL, mode="before")
    @classmethod
    def blank_is_not_given(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator(
        "unit", "subject_identifier", "victim_identities", "subject_identity", "account"
    )
    @classmethod
    def no_null_character(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("null characters are not allowed")
        return value

    def raw(self) -> dict[str, Any]:
        """The values as the service reads them (one validation for form, page and API)."""
        return {k: "" if v is None else str(v) for k, v in self.model_dump().items()}


class AllegationOut(Schema):
    """An allegation without any identity (the export's columns, as text)."""

    reference: str
    entity: str
    channel: str
    category: str
    incident_date: str
    reported_on: str
    victims_count: str
    victims_minors: str
    personnel_category: str
    contingent_country: str
    unit: str
    status: str
    investigation_outcome: str
    investigation_deadline: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldError]


EXPORT_COLUMNS = list(AllegationOut.model_fields)


def allegation_row(allegation: Any) -> dict[str, Any]:
    """An allegation without any identity: what may leave the system in a file or the API."""
    investigation = getattr(allegation, "investigation", None)
    return {
        "reference": allegation.reference,
        "entity": allegation.entity.code,
        "channel": allegation.channel,
        "category": allegation.category,
        "incident_date": allegation.incident_date or "",
        "reported_on": allegation.reported_on,
        "victims_count": allegation.victims_count,
        "victims_minors": allegation.victims_minors,
        "personnel_category": allegation.personnel_category,
        "contingent_country": allegation.contingent_country_id or "",
        "unit": allegation.unit,
        "status": allegation.status,
        "investigation_outcome": investigation.outcome if investigation else "",
        "investigation_deadline": investigation.deadline if investigation else "",
    }
