"""Published shapes of the incidents app: what the API takes to record an incident."""

from __future__ import annotations

from ninja import Schema


class SourceIn(Schema):
    source: str
    reliability: str = "unknown"


class IncidentIn(Schema):
    """An incident to record, as reported. `situation` is a conflict situation's name or
    number; `party` a party's name, alias or number in its register, or empty for unknown;
    `violations` codes of the violation list; dates ISO 8601, not in the future."""

    situation: str
    date: str
    date_to: str = ""
    country: str
    admin1: str = ""
    latitude: str = ""
    longitude: str = ""
    violations: list[str]
    party: str = ""
    girls: int = 0
    boys: int = 0
    women: int = 0
    men: int = 0
    unknown_sex: int = 0
    narrative: str = ""
    sources: list[SourceIn] = []
