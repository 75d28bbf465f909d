"""Surveys defined as data: the question bank and each survey's indicators, breakdowns,
minimum n and current wave."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.models import Entity, User
from ctip.core.values import parse_choice, parse_whole_number, split_items
from ctip.surveys import policies
from ctip.surveys.codes import DTM_INDICATORS, Breakdown, Composite, Experience, SurveysAction
from ctip.surveys.models import MAX_INDICATORS, Indicator, Survey

CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
RESERVED = (
    set(Composite.values)
    | set(Breakdown.values)
    | {
        "respondent_id",
        "weight",
        "stratum",
        "cluster",
        "interview_point",
    }
)


def dtm_indicators() -> None:
    """The DTM starting set in the question bank (idempotent)."""
    for code, (question, experience) in DTM_INDICATORS.items():
        Indicator.objects.get_or_create(
            code=code,
            defaults={"question": str(question), "experience": experience, "built_in": True},
        )


@transaction.atomic
def indicator_save(*, actor: User | None, raw: dict[str, Any]) -> Indicator:
    """Add a yes/no question to the bank."""
    if actor is not None:
        policies.require_surveyor(actor)
    errors: dict[str, str] = {}
    code = str(raw.get("code") or "").strip()
    if not CODE.fullmatch(code) or code in RESERVED:
        errors["code"] = _(
            "Lower-case letters, digits and _, starting with a letter; not %(names)s."
        ) % {"names": ", ".join(sorted(RESERVED))}
    elif Indicator.objects.filter(code=code).exists():
        errors["code"] = _("An indicator %(code)s exists already.") % {"code": code}
    question = str(raw.get("question") or "").strip()
    if not question or len(question) > 300:
        errors["question"] = _("A question of 1 to 300 characters.")
    experience = parse_choice(
        raw.get("experience") or Experience.DIRECT, "experience", Experience, errors
    )
    if errors:
        raise ValidationError(errors)
    indicator = Indicator.objects.create(code=code, question=question, experience=experience)
    audit_record(
        actor=actor, action=SurveysAction.INDICATOR_SAVED, target=indicator, details={"code": code}
    )
    return indicator


@transaction.atomic
def survey_save(*, actor: User | None, entity: Entity, raw: dict[str, Any]) -> Survey:
    """Define a survey: its indicators (from the bank, in the order given), the breakdowns
    it offers, the fewest respondents an estimate needs to be published, the current wave."""
    if actor is not None:
        policies.require_surveyor(actor)
        entity = actor.entity
    dtm_indicators()
    errors: dict[str, str] = {}
    code = str(raw.get("code") or "").strip().lower()
    if not CODE.fullmatch(code.replace("-", "_")):
        errors["code"] = _("Letters, digits, - and _, up to 40, e.g. dtm-med-2026.")
    elif Survey.objects.filter(code=code).exists():
        errors["code"] = _("A survey %(code)s exists already.") % {"code": code}
    indicators = list(dict.fromkeys(split_items(raw.get("indicators"))))
    known = set(Indicator.objects.filter(code__in=indicators).values_list("code", flat=True))
    if not indicators or len(indicators) > MAX_INDICATORS or set(indicators) - known:
        errors["indicators"] = _("1 to %(n)s codes of the question bank: %(codes)s") % {
            "n": MAX_INDICATORS,
            "codes": ", ".join(Indicator.objects.values_list("code", flat=True)),
        }
    breakdowns = list(dict.fromkeys(split_items(raw.get("breakdowns"))))
    if set(breakdowns) - set(Breakdown.values):
        errors["breakdowns"] = _("Codes from: %(codes)s") % {"codes": ", ".join(Breakdown.values)}
    min_n = parse_whole_number(raw.get("min_n") or 30, minimum=1, maximum=100_000)
    if min_n is None:
        errors["min_n"] = _("A whole number from 1 to 100,000.")
    title = str(raw.get("title") or code).strip()[:200]
    wave = str(raw.get("current_wave") or "1").strip()[:40]
    if errors or min_n is None:
        raise ValidationError(errors)
    survey = Survey.objects.create(
        entity=entity,
        code=code,
        title=title,
        indicators=indicators,
        breakdowns=breakdowns,
        min_n=min_n,
        current_wave=wave,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=SurveysAction.SURVEY_SAVED,
        target=survey,
        entity=entity,
        details={"code": code, "indicators": indicators, "breakdowns": breakdowns},
    )
    return survey
