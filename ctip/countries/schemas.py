"""Request bodies of the countries API: every field typed and bounded, so bad input is a 422
naming the field and an OpenAPI fuzzer generates bodies that reach the write logic."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from ctip.countries.services import MAX_ROWS, RESPONSE_TEXT

Flag = bool | None | Annotated[str, StringConstraints(max_length=10)]
ColumnName = Annotated[str, StringConstraints(max_length=200)]
CellText = Annotated[str, StringConstraints(max_length=300)]


class TreatyStatusImportIn(Schema):
    """An instrument's whole status table, as the depositary publishes it."""

    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    rows: list[dict[ColumnName, CellText | None]] = Field(..., max_length=MAX_ROWS)
    dry_run: bool = False


class NationalResponseRowIn(Schema):
    country: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]
    year: int = Field(..., ge=1945, le=2100)
    criminalization: Literal["", "full", "partial", "none"] = ""
    legislation: Annotated[str, StringConstraints(max_length=RESPONSE_TEXT["legislation"])] = ""
    action_plan: Flag = None
    coordination_body: Flag = None
    national_rapporteur: Flag = None
    referral_mechanism: Flag = None
    survivor_council: Flag = None
    specialised_units: Flag = None
    jurisdiction_abroad: Flag = None
    source: Annotated[str, StringConstraints(max_length=RESPONSE_TEXT["source"])] = ""
    notes: Annotated[str, StringConstraints(max_length=RESPONSE_TEXT["notes"])] = ""


class NationalResponseImportIn(Schema):
    rows: list[NationalResponseRowIn] = Field(..., max_length=MAX_ROWS)
    dry_run: bool = False
