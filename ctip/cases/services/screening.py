"""Screenings: one validation for the page, the API and field imports (KoBo / ODK)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.cases import policies, selectors
from ctip.cases.codes import INDICATOR_SETS, Answer, CasesAction, Outcome, Setting
from ctip.cases.models import Screening
from ctip.core.audit import audit_record
from ctip.core.models import Entity, User
from ctip.core.values import parse_flag, parse_past_date
from ctip.tabular import formula_like

MAX_SCREENING_ROWS = 50_000  # submissions in one export file
TEXT_LIMITS = {"place": 200, "screener_name": 200, "reason": 5_000}


def answer_key(indicator_set: str, question: str) -> str:
    return f"{indicator_set}.{question}"


def clean_screening(raw: dict[str, Any]) -> dict[str, Any]:
    """Answers come as `answers` {"set.question": value} or as flat fields named
    `set_question` (web form, XLSForm export); ValidationError names the fields."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "screened_on": parse_past_date(
            raw.get("screened_on"), "screened_on", errors, required=True
        ),
    }
    for name, limit in TEXT_LIMITS.items():
        values[name] = str(raw.get(name) or "").strip()
        if len(values[name]) > limit:  # refused, not cut: a cut reason reads as the whole
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
    for name, choices in (("setting", Setting), ("outcome", Outcome)):
        value = str(raw.get(name) or "").strip()
        if value not in choices.values:
            errors[name] = _("One of: %(codes)s") % {"codes": ", ".join(choices.values)}
        values[name] = value
    chosen = str(raw.get("indicator_set") or "").strip()
    if chosen not in INDICATOR_SETS:
        errors["indicator_set"] = _("One of: %(codes)s") % {"codes": ", ".join(INDICATOR_SETS)}
    values["indicator_set"] = chosen
    try:
        values["under_18"] = parse_flag(raw.get("under_18"))
    except ValueError:
        errors["under_18"] = _("Yes, no or empty (unknown).")
    given = dict(raw.get("answers") or {})
    answers: dict[str, str] = {}
    for code, indicator_set in INDICATOR_SETS.items():
        for question in indicator_set.questions:
            key = answer_key(code, question.code)
            value = str(given.get(key) or raw.get(f"{code}_{question.code}") or "").strip()
            if not value:
                continue
            if value not in Answer.values:
                errors[f"{code}_{question.code}"] = _("One of: %(codes)s") % {
                    "codes": ", ".join(Answer.values)
                }
            answers[key] = value
    if chosen in INDICATOR_SETS and not any(k.startswith(chosen + ".") for k in answers):
        errors["answers"] = _("Answer at least one question of the chosen indicators.")
    elif (
        values["outcome"] == Outcome.PRESUMED_VICTIM
        and chosen in INDICATOR_SETS
        and not any(k.startswith(chosen + ".") and v == Answer.YES for k, v in answers.items())
    ):
        errors["outcome"] = _(
            "A presumed victim needs at least one indicator answered yes: answer the "
            "questions, or choose another outcome."
        )
    values["answers"] = answers
    if not values["reason"]:
        errors["reason"] = _("Say why you reached this outcome.")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def screening_record(*, actor: User, raw: dict[str, Any]) -> Screening:
    policies.require_field_staff(actor)
    values = clean_screening(raw)
    screening = Screening.objects.create(entity=actor.entity, screened_by=actor, **values)
    audit_record(
        actor=actor,
        action=CasesAction.SCREENING_RECORDED,
        target=screening,
        details={"outcome": screening.outcome, "set": screening.indicator_set},
    )
    return screening


@dataclass
class ImportReport:
    created: int = 0
    already: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False


@transaction.atomic
def screenings_import(
    *,
    entity: Entity,
    rows: list[tuple[int, dict[str, str]]],
    actor: User | None = None,
    dry_run: bool = False,
    actor_label: str = "",
) -> ImportReport:
    """Screenings from a KoBoToolbox / ODK export of CTIP's XLSForm (rows keyed by the form's
    field names, see `ctip.cases.field_exports`): all rows or none; a submission already
    imported (same instance id) is left as it is, and one repeated inside the file is an
    error on each repeat, never a silent merge."""
    if actor is not None:
        policies.require_field_staff(actor)
        entity = actor.entity
    report = ImportReport(dry_run=dry_run)
    seen = selectors.submissions_seen(entity=entity)
    in_file: dict[str, int] = {}
    cleaned = []
    for number, raw in rows:
        submission = submission_id(raw)
        if not submission:
            report.errors.append(
                {
                    "row": number,
                    "column": "_uuid",
                    "value": "",
                    "expected": _("The submission's instance id (_uuid or meta/instanceID)."),
                }
            )
            continue
        if submission in in_file:
            report.errors.append(
                {
                    "row": number,
                    "column": "_uuid",
                    "value": submission,
                    "expected": _(
                        "A submission once per file: row %(row)s has the same instance id."
                    )
                    % {"row": in_file[submission]},
                }
            )
            continue
        in_file[submission] = number
        if submission in seen:
            report.already += 1
            continue
        for name in TEXT_LIMITS:
            if formula_like(str(raw.get(name) or "")):
                report.errors.append(
                    {
                        "row": number,
                        "column": name,
                        "value": str(raw.get(name))[:200],
                        "expected": _("Text that does not start like a spreadsheet formula."),
                    }
                )
        try:
            values = clean_screening(raw)
        except ValidationError as error:
            for name, texts in error.message_dict.items():
                report.errors.extend(
                    {
                        "row": number,
                        "column": name,
                        "value": str(raw.get(name, ""))[:200],
                        "expected": t,
                    }
                    for t in texts
                )
            continue
        cleaned.append({**values, "submission_id": submission})
    if report.errors:
        return report
    report.created = len(cleaned)
    if dry_run or not cleaned:
        return report
    Screening.objects.bulk_create(
        Screening(entity=entity, screened_by=actor, **values) for values in cleaned
    )
    audit_record(
        actor=actor,
        action=CasesAction.SCREENINGS_IMPORTED,
        entity=entity,
        details={"created": report.created, "already": report.already},
        actor_label=actor_label,
    )
    return report


def submission_id(raw: dict[str, str]) -> str:
    for name in ("_uuid", "meta/instanceID", "instanceID", "submission_id", "KEY", "__id"):
        value = str(raw.get(name) or "").strip()
        if value:
            return value.removeprefix("uuid:")[:100]
    return ""
