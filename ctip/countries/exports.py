"""Treaty status and national response out, in the columns their imports read back."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ctip.core.exports import csv_bytes
from ctip.countries.codes import RESPONSE_MEASURES, UNTC_MARKS
from ctip.countries.models import NationalResponse, TreatyStatus

CONSENT_COLUMN = "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"
STATUS_COLUMNS = ["Participant", "ISO code", "Signature", CONSENT_COLUMN, "Denunciation"]
MARKS = {kind.value: mark for mark, kind in UNTC_MARKS.items()}
RESPONSE_COLUMNS = [
    "country",
    "year",
    "criminalization",
    "legislation",
    *RESPONSE_MEASURES,
    "source",
    "notes",
]


def _date(value: Any, mark: str = "") -> str:
    return f"{value.isoformat()} {mark}".strip() if value else ""


def status_row(status: TreatyStatus) -> dict[str, str]:
    return {
        "Participant": status.participant,
        "ISO code": status.country_id or "",
        "Signature": _date(status.signature),
        CONSENT_COLUMN: _date(status.consent_date, MARKS.get(status.consent_kind, "")),
        "Denunciation": _date(status.denunciation),
    }


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def response_row(response: NationalResponse) -> dict[str, Any]:
    row: dict[str, Any] = {
        "country": response.country_id,
        "year": response.year,
        "criminalization": response.criminalization,
        "legislation": response.legislation,
    }
    row.update({name: _yes_no(getattr(response, name)) for name in RESPONSE_MEASURES})
    row.update({"source": response.source, "notes": response.notes})
    return row


def to_csv(columns: list[str], rows: Iterable[dict[str, Any]]) -> bytes:
    return csv_bytes(columns, ([row[c] for c in columns] for row in rows))


def to_json(rows: Iterable[dict[str, Any]]) -> bytes:
    return json.dumps(list(rows), ensure_ascii=False, indent=1).encode()
