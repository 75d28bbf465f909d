"""Writing court decisions: one validation for the form, the API and file imports.

Legal officers save decisions (each save is a kept version); a legal officer other than the
last editor, or an administrator, publishes. Editing a published decision makes it a draft
again until it is reviewed: the public never sees an unreviewed text.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
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
from ctip.caselaw.models import Decision, DecisionVersion, SearchStamp
from ctip.caselaw.tasks import keep_searches
from ctip.caselaw.text import index_text
from ctip.core.audit import audit_record
from ctip.core.codes import FormOfExploitation
from ctip.core.models import ConflictSituation, Country, Entity, User
from ctip.core.policies import not_found
from ctip.core.values import parse_flag, parse_id, parse_whole_number, split_items

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


def decisions_changed() -> None:
    """Raise the search stamp in the caller's transaction (selectors.published_version), and
    once it commits have the worker count the public's recent searches for the new version."""
    if not SearchStamp.objects.filter(pk=1).update(version=F("version") + 1):
        SearchStamp.objects.get_or_create(pk=1, defaults={"version": 1})
    # robust: the change is committed; a job that could not be queued only leaves the next
    # visitors of each search to count it, as before the job existed
    transaction.on_commit(keep_searches.enqueue, robust=True)


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
        if isinstance(value, uuid.UUID):
            value = str(value)
        data[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _keep(decision: Decision, actor: User | None) -> None:
    decision.search_text = _search_text(decision)
    decision.save()
    decisions_changed()
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
    *,
    actor: User,
    raw: dict[str, Any],
    decision: Decision | None = None,
    decision_uuid: uuid.UUID | None = None,
) -> Decision:
    """Create a decision for the actor's entity (with `decision_uuid` if given), or save a
    new version of one of its own."""
    policies.require_editor(actor)
    if decision is not None and not policies.may_edit_decision(actor, decision):
        raise not_found()
    values = clean_decision(raw)
    with transaction.atomic():
        if decision is None:
            decision = Decision(entity=actor.entity, created_by=actor)
            decision.decision_uuid = decision_uuid or uuid.uuid4()
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
def decision_put(*, actor: User, raw: dict[str, Any]) -> Decision:
    """Save a decision sent with its `decision_uuid` (the export's stable id), as the import
    does: a new one keeps that id, one of the actor's own gets a new version, or is left
    alone when nothing changed. Sending the same decision twice makes one."""
    policies.require_editor(actor)
    text = str(raw.get("decision_uuid") or "").strip()
    if not text:
        return decision_save(actor=actor, raw=raw)
    try:
        decision_uuid = uuid.UUID(text)
    except ValueError:
        raise ValidationError({"decision_uuid": _("Empty, or a UUID.")}) from None
    found = Decision.objects.filter(decision_uuid=decision_uuid).first()
    if found is None:
        return decision_save(actor=actor, raw=raw, decision_uuid=decision_uuid)
    if not policies.may_edit_decision(actor, found):
        raise ValidationError({"decision_uuid": _("The id of one of your decisions.")})
    if _unchanged(found, clean_decision(raw)):
        return found
    return decision_save(actor=actor, raw=raw, decision=found)


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
    decisions_changed()
    DecisionVersion.objects.filter(decision=decision, version=decision.version).update(
        status=decision.status, snapshot=snapshot(decision)
    )


def _import_id(raw: dict[str, Any], seen: set[uuid.UUID]) -> uuid.UUID | None:
    """A row's decision_uuid: None for a new decision; ValueError if malformed or repeated."""
    text = str(raw.get("decision_uuid") or "").strip()
    if not text:
        return None
    found = uuid.UUID(text)
    if found in seen:
        raise ValueError(text)
    seen.add(found)
    return found


def _unchanged(decision: Decision, values: dict[str, Any]) -> bool:
    return all(getattr(decision, name) == value for name, value in values.items())


@transaction.atomic
def decisions_import(
    *,
    actor: User | None,
    entity: Entity,
    rows: Sequence[dict[str, Any] | tuple[int, dict[str, Any]]],
    publish: bool = False,
    actor_label: str = "",
    dry_run: bool = False,
) -> tuple[int, list[dict[str, Any]]]:
    """Create decisions from rows (CSV or JSON): all or none. Returns (created, errors).

    Rows read from a file come numbered as the file numbers them; others count from 1. A
    row whose decision_uuid is one of the entity's decisions updates it (a new version, a
    draft again unless `publish`) or, when nothing changed, leaves it alone: importing an
    export again creates nothing. A dry run makes the very same writes and rolls them back,
    so it reports (and fails on) exactly what the real run would; it writes no audit event,
    since nothing changed."""
    errors: list[dict[str, Any]] = []
    cleaned: list[tuple[int, uuid.UUID | None, dict[str, Any]]] = []
    seen: set[uuid.UUID] = set()
    numbered = [row if isinstance(row, tuple) else (n, row) for n, row in enumerate(rows, 1)]
    raw_of = dict(numbered)

    def error(number: int, raw: dict[str, Any], field: str, message: str) -> None:
        value = str(raw.get(field, ""))[:200]
        errors.append({"row": number, "column": field, "value": value, "expected": message})

    for number, raw in numbered:
        try:
            decision_uuid = _import_id(raw, seen)
        except ValueError:
            error(number, raw, "decision_uuid", _("empty, or a UUID not repeated in the file"))
            decision_uuid = None
        try:
            cleaned.append((number, decision_uuid, clean_decision(raw)))
        except ValidationError as invalid:
            for field, messages in invalid.message_dict.items():
                for message in messages:
                    error(number, raw, field, message)
    existing = {
        d.decision_uuid: d
        for d in Decision.objects.select_for_update().filter(decision_uuid__in=seen)
    }
    for number, decision_uuid, _values in cleaned:
        found = existing.get(decision_uuid) if decision_uuid else None
        if found is not None and found.entity_id != entity.pk:
            error(number, raw_of[number], "decision_uuid", _("the id of one of your decisions"))
    if errors:
        return 0, errors
    now = timezone.now()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for _number, decision_uuid, values in cleaned:
            decision = existing.get(decision_uuid) if decision_uuid else None
            if decision is not None and _unchanged(decision, values):
                counts["unchanged"] += 1
                continue
            if decision is None:
                decision = Decision(entity=entity, created_by=actor, **values)
                decision.decision_uuid = decision_uuid or uuid.uuid4()
                counts["created"] += 1
            else:
                for name, value in values.items():
                    setattr(decision, name, value)
                decision.version += 1
                decision.status = DecisionStatus.DRAFT
                decision.published_at = decision.published_by = None
                counts["updated"] += 1
            decision.updated_by, decision.updated_at = actor, now
            if publish:
                decision.status, decision.published_at = DecisionStatus.PUBLISHED, now
            _keep(decision, actor)
        if dry_run:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=actor,
                action=CaselawAction.DECISIONS_IMPORTED,
                entity=entity,
                details={**counts, "published": int(publish)},
                actor_label=actor_label,
            )
    return counts["created"], errors
