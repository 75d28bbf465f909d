"""Writing court decisions: one validation for the form, the API and file imports.

Legal officers save decisions (each save is a kept version); a legal officer other than the
last editor, or an administrator, publishes. Editing a published decision makes it a draft
again until it is reviewed: the public never sees an unreviewed text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.caselaw import policies, search
from ctip.caselaw.codes import (
    CaselawAction,
    DecisionStatus,
    EvidentialIssue,
    Instance,
    Language,
    LegalSystem,
    Scope,
    Verdict,
)
from ctip.caselaw.models import Decision, DecisionVersion
from ctip.caselaw.text import index_text
from ctip.core.audit import audit_record
from ctip.core.codes import FormOfExploitation
from ctip.core.models import ConflictSituation, Country, Entity, User
from ctip.core.policies import not_found
from ctip.core.values import parse_flag, parse_id, parse_whole_number, split_items
from ctip.tabular import formula_like

MAX_TEXT = 100_000
MAX_LINE = 300
MAX_PEOPLE = 100_000
TEXT_FIELDS = {
    "title": (MAX_LINE, True),
    "international_body": (200, False),
    "court": (MAX_LINE, True),
    "case_number": (200, False),
    "sentences": (MAX_TEXT, False),
    "acts": (400, False),
    "means": (400, False),
    "purpose": (400, False),
    "fact_summary": (MAX_TEXT, True),
    "legal_reasoning": (MAX_TEXT, False),
    "commentary": (MAX_TEXT, False),
    "sources": (MAX_TEXT, False),
}
CHOICE_FIELDS = {
    "legal_system": (LegalSystem, ""),
    "instance": (Instance, Instance.FIRST),
    "verdict": (Verdict, None),
    "scope": (Scope, Scope.UNKNOWN),
    "language": (Language, None),
}
PEOPLE = ("count", "female", "male", "children")


def clean_decision(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate raw input (strings or lists) into model values; ValidationError names fields."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, (limit, required) in TEXT_FIELDS.items():
        text = str(raw.get(name) or "").strip()
        if required and not text:
            errors[name] = _("This field is required.")
        elif len(text) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
        values[name] = text
    for name, (choices, default) in CHOICE_FIELDS.items():
        value = str(raw.get(name) or "").strip() or default
        if value is None or (value and value not in choices.values):
            errors[name] = _("One of: %(codes)s") % {"codes": ", ".join(choices.values)}
        values[name] = value
    try:
        values["decision_date"] = datetime.date.fromisoformat(str(raw.get("decision_date") or ""))
        if values["decision_date"] > timezone.localdate():
            errors["decision_date"] = _("A decision cannot be dated in the future.")
    except ValueError:
        errors["decision_date"] = _("A date such as 2024-03-31.")
    code = str(raw.get("country") or "").strip().upper()
    values["country"] = Country.objects.filter(alpha3=code).first() if code else None
    if code and values["country"] is None:
        errors["country"] = _("An ISO 3166 alpha-3 country code, e.g. IRQ.")
    if not code and not values["international_body"]:
        errors["country"] = _("Give the country, or the international court or body.")
    for name in ("victim_nationalities", "defendant_nationalities"):
        codes = sorted({c.upper() for c in split_items(raw.get(name))})
        unknown = set(codes) - set(
            Country.objects.filter(alpha3__in=codes).values_list("alpha3", flat=True)
        )
        if unknown:
            errors[name] = _("Unknown country codes: %(codes)s") % {
                "codes": ", ".join(sorted(unknown))
            }
        values[name] = ";".join(codes)
    for name, choices in (
        ("forms_of_exploitation", FormOfExploitation),
        ("evidential_issues", EvidentialIssue),
    ):
        codes = sorted(set(split_items(raw.get(name))))
        if set(codes) - set(choices.values):
            errors[name] = _("Codes from: %(codes)s") % {"codes": ", ".join(choices.values)}
        values[name] = ";".join(codes)
    for group in ("victims", "defendants"):
        counts = {}
        for part in PEOPLE:
            text = str(raw.get(f"{group}_{part}") or "").strip()
            if not text:
                continue
            if parse_whole_number(text, maximum=MAX_PEOPLE) is None:
                errors[f"{group}_{part}"] = _("A whole number from 0 to %(n)s.") % {
                    "n": f"{MAX_PEOPLE:,}"
                }
                continue
            counts[part] = int(text)
        values[group] = counts
    values["charges"] = []
    for number, line in enumerate(_charge_lines(raw.get("charges")), start=1):
        legislation, charge, verdict = [*line, "", "", ""][:3]
        if not charge or (verdict and verdict not in Verdict.values):
            errors["charges"] = _(
                "Charge %(n)s: write “legislation | charge | verdict”, verdict one of %(codes)s."
            ) % {"n": number, "codes": ", ".join(Verdict.values)}
            break
        values["charges"].append({"legislation": legislation, "charge": charge, "verdict": verdict})
    values["keywords"] = sorted(set(split_items(raw.get("keywords"))))[:50]
    try:
        values["organised_crime"] = parse_flag(raw.get("organised_crime"))
    except ValueError:
        errors["organised_crime"] = _("Yes, no or empty (unknown).")
    try:
        values["conflict_related"] = bool(parse_flag(raw.get("conflict_related")))
    except ValueError:
        errors["conflict_related"] = _("Yes or no.")
    situation = str(raw.get("conflict_situation") or "").strip()
    values["conflict_situation"] = None
    if situation:
        situation_id = parse_id(situation)
        lookup = {"pk": situation_id} if situation_id else {"name__iexact": situation[:200]}
        found = ConflictSituation.objects.filter(**lookup).first()
        if found is None:
            errors["conflict_situation"] = _("The name or number of a conflict situation in CTIP.")
        values["conflict_situation"] = found
        values["conflict_related"] = True
    if errors:
        raise ValidationError(errors)
    return values


def _charge_lines(value: Any) -> Iterable[list[str]]:
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                yield [str(item.get(k) or "").strip() for k in ("legislation", "charge", "verdict")]
            else:
                yield [p.strip() for p in str(item).split("|")]
        return
    for line in str(value or "").splitlines():
        if line.strip():
            yield [p.strip() for p in line.split("|")]


def _search_text(decision: Decision) -> str:
    charges = " ".join(f"{c['legislation']} {c['charge']}" for c in decision.charges)
    return index_text(
        decision.title,
        decision.case_number,
        decision.court,
        decision.international_body,
        decision.fact_summary,
        decision.legal_reasoning,
        decision.commentary,
        decision.sentences,
        " ".join(decision.keywords),
        charges,
    )


def snapshot(decision: Decision) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in Decision._meta.concrete_fields:
        if field.name in {"search_text", "id"}:
            continue
        value = getattr(decision, field.attname)
        data[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _keep(decision: Decision, actor: User | None) -> None:
    decision.search_text = _search_text(decision)
    decision.save()
    search.reindex(decision.pk, decision.search_text)
    DecisionVersion.objects.create(
        decision=decision,
        version=decision.version,
        status=decision.status,
        snapshot=snapshot(decision),
        saved_by=actor,
    )


@transaction.atomic
def decision_save(
    *, actor: User, raw: dict[str, Any], decision: Decision | None = None
) -> Decision:
    """Create a decision for the actor's entity, or save a new version of one of its own."""
    policies.require_editor(actor)
    if decision is not None and not policies.may_edit_decision(actor, decision):
        raise not_found()
    values = clean_decision(raw)
    with transaction.atomic():
        if decision is None:
            decision = Decision(entity=actor.entity, created_by=actor)
        else:
            decision = Decision.objects.select_for_update().get(pk=decision.pk)
            decision.version += 1
        for name, value in values.items():
            setattr(decision, name, value)
        decision.status = DecisionStatus.DRAFT
        decision.updated_by, decision.updated_at = actor, timezone.now()
        decision.published_at = decision.published_by = None
        _keep(decision, actor)
        audit_record(
            actor=actor,
            action=CaselawAction.DECISION_SAVED,
            target=decision,
            entity=decision.entity,
            details={"version": decision.version},
        )
    return decision


@transaction.atomic
def decision_publish(*, actor: User, decision: Decision) -> Decision:
    """Publish a draft after review by someone other than its last editor."""
    policies.require_editor(actor)
    if not policies.may_edit_decision(actor, decision):
        raise not_found()
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status == DecisionStatus.PUBLISHED:
            raise ValidationError(_("This version is already published."))
        if not policies.may_publish(actor, decision):
            raise PermissionDenied(_("Another legal officer reviews and publishes your changes."))
        decision.status = DecisionStatus.PUBLISHED
        decision.published_by, decision.published_at = actor, timezone.now()
        _keep_status(decision, actor)
        audit_record(
            actor=actor,
            action=CaselawAction.DECISION_PUBLISHED,
            target=decision,
            entity=decision.entity,
            details={"version": decision.version},
        )
    return decision


def _keep_status(decision: Decision, actor: User) -> None:
    decision.save(update_fields=["status", "published_by", "published_at"])
    DecisionVersion.objects.filter(decision=decision, version=decision.version).update(
        status=decision.status, snapshot=snapshot(decision)
    )


@transaction.atomic
def decisions_import(
    *,
    actor: User | None,
    entity: Entity,
    rows: Sequence[dict[str, Any] | tuple[int, dict[str, Any]]],
    publish: bool = False,
    actor_label: str = "",
) -> tuple[int, list[dict[str, Any]]]:
    """Create decisions from rows (CSV or JSON): all or none. Returns (created, errors).
    Rows read from a file come numbered as the file numbers them; others count from 1."""
    errors: list[dict[str, Any]] = []
    cleaned = []
    numbered = [row if isinstance(row, tuple) else (n, row) for n, row in enumerate(rows, 1)]
    for number, raw in numbered:
        errors.extend(
            {
                "row": number,
                "column": column,
                "value": str(value)[:200],
                "expected": _("Text that does not start like a spreadsheet formula."),
            }
            for column, value in raw.items()
            if isinstance(value, str) and formula_like(value)
        )
        try:
            cleaned.append(clean_decision(raw))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.extend(
                    {
                        "row": number,
                        "column": field,
                        "value": str(raw.get(field, ""))[:200],
                        "expected": m,
                    }
                    for m in messages
                )
    if errors:
        return 0, errors
    now = timezone.now()
    with transaction.atomic():
        for values in cleaned:
            decision = Decision(
                entity=entity, created_by=actor, updated_by=actor, updated_at=now, **values
            )
            if publish:
                decision.status, decision.published_at = DecisionStatus.PUBLISHED, now
            _keep(decision, actor)
        audit_record(
            actor=actor,
            action=CaselawAction.DECISIONS_IMPORTED,
            entity=entity,
            details={"created": len(cleaned), "published": int(publish)},
            actor_label=actor_label,
        )
    return len(cleaned), errors
