"""Request bodies of the case law API: every field typed and bounded, so bad input is a 422
naming the field and an OpenAPI fuzzer generates bodies that reach the write logic. The
fields are the export's columns; the service still checks what a schema cannot (codes that
exist, a date not in the future)."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import StringConstraints

from ctip.caselaw.codes import Instance, Language, LegalSystem, Scope, Verdict
from ctip.caselaw.services import MAX_LINE, MAX_TEXT


def _text(limit: int) -> type[str]:
    return Annotated[str, StringConstraints(max_length=limit)]  # type: ignore[return-value]


Line = _text(MAX_LINE)
Text = _text(MAX_TEXT)
Short = _text(400)
Codes = _text(2_000) | list[_text(100)]  # type: ignore[valid-type]
Count = Annotated[str, StringConstraints(max_length=7)] | int | None
Flag = bool | None | _text(10)  # type: ignore[valid-type]


class ChargeIn(Schema):
    legislation: _text(MAX_LINE) = ""  # type: ignore[valid-type]
    charge: _text(MAX_LINE)  # type: ignore[valid-type]
    verdict: Literal[("", *Verdict.values)] = ""  # type: ignore[valid-type]


class DecisionIn(Schema):
    title: Line  # type: ignore[valid-type]
    international_body: _text(200) = ""  # type: ignore[valid-type]
    court: Line  # type: ignore[valid-type]
    case_number: _text(200) = ""  # type: ignore[valid-type]
    country: Annotated[str, StringConstraints(pattern=r"^([A-Za-z]{3})?$")] = ""
    decision_date: Annotated[str, StringConstraints(max_length=10)]
    legal_system: Literal[("", *LegalSystem.values)] = ""  # type: ignore[valid-type]
    instance: Literal[("", *Instance.values)] = ""  # type: ignore[valid-type]
    verdict: Literal[tuple(Verdict.values)]  # type: ignore[valid-type]
    scope: Literal[("", *Scope.values)] = ""  # type: ignore[valid-type]
    language: Literal[tuple(Language.values)]  # type: ignore[valid-type]
    sentences: Text = ""  # type: ignore[valid-type]
    acts: Short = ""  # type: ignore[valid-type]
    means: Short = ""  # type: ignore[valid-type]
    purpose: Short = ""  # type: ignore[valid-type]
    fact_summary: Text  # type: ignore[valid-type]
    legal_reasoning: Text = ""  # type: ignore[valid-type]
    commentary: Text = ""  # type: ignore[valid-type]
    sources: Text = ""  # type: ignore[valid-type]
    victim_nationalities: Codes = ""
    defendant_nationalities: Codes = ""
    forms_of_exploitation: Codes = ""
    evidential_issues: Codes = ""
    keywords: Codes = ""
    victims_count: Count = None
    victims_female: Count = None
    victims_male: Count = None
    victims_children: Count = None
    defendants_count: Count = None
    defendants_female: Count = None
    defendants_male: Count = None
    defendants_children: Count = None
    charges: Text | list[ChargeIn] = ""  # type: ignore[valid-type]
    organised_crime: Flag = None
    conflict_related: Flag = None
    conflict_situation: _text(200) | int | None = None  # type: ignore[valid-type]
