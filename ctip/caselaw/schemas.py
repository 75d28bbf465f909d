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

Line = Annotated[str, StringConstraints(max_length=MAX_LINE)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Short = Annotated[str, StringConstraints(max_length=400)]
Name = Annotated[str, StringConstraints(max_length=200)]
Code = Annotated[str, StringConstraints(max_length=100)]
Codes = Annotated[str, StringConstraints(max_length=2_000)] | list[Code]
Count = Annotated[str, StringConstraints(max_length=7)] | int | None
Flag = bool | None | Annotated[str, StringConstraints(max_length=10)]


class ChargeIn(Schema):
    legislation: Line = ""
    charge: Line
    verdict: Literal[("", *Verdict.values)] = ""  # type: ignore[valid-type]


class DecisionIn(Schema):
    decision_uuid: Annotated[str, StringConstraints(pattern=r"^([0-9a-fA-F-]{32,36})?$")] = ""
    title: Line
    international_body: Name = ""
    court: Line
    case_number: Name = ""
    country: Annotated[str, StringConstraints(pattern=r"^([A-Za-z]{3})?$")] = ""
    decision_date: Annotated[str, StringConstraints(max_length=10)]
    legal_system: Literal[("", *LegalSystem.values)] = ""  # type: ignore[valid-type]
    instance: Literal[("", *Instance.values)] = ""  # type: ignore[valid-type]
    verdict: Literal[tuple(Verdict.values)]  # type: ignore[valid-type]
    scope: Literal[("", *Scope.values)] = ""  # type: ignore[valid-type]
    language: Literal[tuple(Language.values)]  # type: ignore[valid-type]
    sentences: Text = ""
    acts: Short = ""
    means: Short = ""
    purpose: Short = ""
    fact_summary: Text
    legal_reasoning: Text = ""
    commentary: Text = ""
    sources: Text = ""
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
    charges: Text | list[ChargeIn] = ""
    organised_crime: Flag = None
    conflict_related: Flag = None
    conflict_situation: Name | int | None = None
