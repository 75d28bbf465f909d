"""Screening and case files: one validation for the page, the API and field imports; every
step audited; identity only for the people who must see it."""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.cases.codes import (
    IDENTITY_PARTS,
    INDICATOR_SETS,
    Answer,
    CasesAction,
    CaseStatus,
    Outcome,
    ReferralStatus,
    RiskLevel,
    ServiceType,
    Setting,
    SharedPart,
    TipStatus,
)
from ctip.cases.models import (
    Case,
    CaseEvent,
    Referral,
    Screening,
    ServiceDelivery,
    ServiceOffer,
    Tip,
)
from ctip.core.policies import not_found, require_role
from ctip.core.audit import audit_record
from ctip.core.codes import (
    AgeBand,
    DisplacementStatus,
    FormOfExploitation,
    MeansOfControl,
    RecruiterRelation,
    Role,
    Sex,
    StatusDecidedBy,
    TraffickingStatus,
)
from ctip.core.crypto import blind_index
from ctip.core.models import ConflictSituation, Country, Entity, User
from ctip.core.services import notify
from ctip.core.values import parse_flag, split_items

FIELD_STAFF = (Role.CASEWORKER, Role.FOCAL_POINT)
IDENTITY_PURPOSE = "cases.identity"
IDENTITY_FIELDS = {
    "names": 500,
    "date_of_birth": 40,
    "contacts": 2_000,
    "documents": 2_000,
    "narrative": 50_000,
    "best_interests": 20_000,
}


def answer_key(indicator_set: str, question: str) -> str:
    return f"{indicator_set}.{question}"


def _date(raw: Any, name: str, errors: dict[str, str], required: bool = False) -> Any:
    text = str(raw or "").strip()[:10]
    if not text:
        if required:
            errors[name] = _("This field is required.")
        return None
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        errors[name] = _("A date such as 2024-03-31.")
        return None
    if value > timezone.localdate():
        errors[name] = _("A date cannot be in the future.")
    return value


def clean_screening(raw: dict[str, Any]) -> dict[str, Any]:
    """Answers come as `answers` {"set.question": value} or as flat fields named
    `set_question` (web form, XLSForm export); ValidationError names the fields."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "screened_on": _date(raw.get("screened_on"), "screened_on", errors, required=True),
        "place": str(raw.get("place") or "").strip()[:200],
        "screener_name": str(raw.get("screener_name") or "").strip()[:200],
        "reason": str(raw.get("reason") or "").strip()[:5_000],
    }
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
    values["answers"] = answers
    if not values["reason"]:
        errors["reason"] = _("Say why you reached this outcome.")
    if errors:
        raise ValidationError(errors)
    return values


def screening_record(*, actor: User, raw: dict[str, Any]) -> Screening:
    require_role(actor, *FIELD_STAFF)
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


def screenings_import(
    *,
    entity: Entity,
    rows: list[tuple[int, dict[str, str]]],
    actor: User | None = None,
    dry_run: bool = False,
    actor_label: str = "",
) -> ImportReport:
    """Screenings from a KoBoToolbox / ODK export of CTIP's XLSForm: all rows or none; a
    submission already imported (same instance id) is left as it is."""
    if actor is not None:
        require_role(actor, *FIELD_STAFF)
        entity = actor.entity
    report = ImportReport(dry_run=dry_run)
    seen = set(
        Screening.objects.filter(entity=entity)
        .exclude(submission_id="")
        .values_list("submission_id", flat=True)
    )
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
        if submission in seen:
            report.already += 1
            continue
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
        seen.add(submission)
        cleaned.append({**values, "submission_id": submission})
    if report.errors:
        return report
    report.created = len(cleaned)
    if dry_run or not cleaned:
        return report
    with transaction.atomic():
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
    for name in ("_uuid", "meta/instanceID", "instanceID", "submission_id", "KEY"):
        value = str(raw.get(name) or "").strip()
        if value:
            return value.removeprefix("uuid:")[:100]
    return ""


# --- case files -------------------------------------------------------------------------


CHOICES = {
    "sex": (Sex, Sex.UNKNOWN),
    "age_band": (AgeBand, AgeBand.UNKNOWN),
    "displacement_status": (DisplacementStatus, DisplacementStatus.UNKNOWN),
    "recruiter_relation": (RecruiterRelation, ""),
    "trafficking_status": (TraffickingStatus, TraffickingStatus.POSSIBLE),
    "status_decided_by": (StatusDecidedBy, ""),
    "risk_level": (RiskLevel, RiskLevel.MEDIUM),
    "status": (CaseStatus, CaseStatus.ACTIVE),
}


def identity_hash(names: str, date_of_birth: str) -> str:
    """Keyed hash of name and date of birth: equal people match across spellings of case
    and spacing; nothing can be read back from it."""
    if not names.strip():
        return ""
    return blind_index(f"{names}|{date_of_birth.strip()}", purpose=IDENTITY_PURPOSE)


def clean_case(raw: dict[str, Any], entity: Entity) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, limit in IDENTITY_FIELDS.items():
        text = str(raw.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
        values[name] = text
    for name, (choices, default) in CHOICES.items():
        value = str(raw.get(name) or "").strip() or default
        if value and value not in choices.values:
            errors[name] = _("One of: %(codes)s") % {"codes": ", ".join(choices.values)}
        values[name] = value
    for name, choices in (
        ("forms_of_exploitation", FormOfExploitation),
        ("means_of_control", MeansOfControl),
    ):
        codes = sorted(set(split_items(raw.get(name))))
        if set(codes) - set(choices.values):
            errors[name] = _("Codes from: %(codes)s") % {"codes": ", ".join(choices.values)}
        values[name] = ";".join(codes)
    code = str(raw.get("citizenship") or "").strip().upper()
    values["citizenship"] = Country.objects.filter(alpha3=code).first() if code else None
    if code and values["citizenship"] is None:
        errors["citizenship"] = _("An ISO 3166 alpha-3 country code, e.g. IRQ.")
    situation = str(raw.get("conflict_situation") or "").strip()
    values["conflict_situation"] = (
        ConflictSituation.objects.filter(pk=int(situation)).first() if situation.isdigit() else None
    )
    if situation and values["conflict_situation"] is None:
        errors["conflict_situation"] = _("The number of a conflict situation in CTIP.")
    detected = str(raw.get("country_of_detection") or "").strip().upper()
    values["country_of_detection"] = (
        Country.objects.filter(alpha3=detected).first() if detected else entity.country
    )
    if detected and values["country_of_detection"] is None:
        errors["country_of_detection"] = _("An ISO 3166 alpha-3 country code, e.g. IRQ.")
    values["identified_on"] = (
        _date(raw.get("identified_on"), "identified_on", errors) or timezone.localdate()
    )
    values["languages"] = str(raw.get("languages") or "").strip()[:200]
    values["consent_scope"] = str(raw.get("consent_scope") or "").strip()[:300]
    values["consent_date"] = _date(raw.get("consent_date"), "consent_date", errors)
    for name in ("consent_sharing", "consent_referral", "consent_statistics", "non_punishment"):
        try:
            values[name] = bool(parse_flag(raw.get(name)))
        except ValueError:
            errors[name] = _("Yes or no.")
    if (
        any(values[n] for n in ("consent_sharing", "consent_referral", "consent_statistics"))
        and not values["consent_date"]
    ):
        errors["consent_date"] = _("Give the date the person consented.")
    caseworker = str(raw.get("caseworker") or "").strip()
    values["caseworker"] = None
    if caseworker:
        values["caseworker"] = User.objects.filter(
            pk=int(caseworker) if caseworker.isdigit() else 0,
            entity=entity,
            role=Role.CASEWORKER,
            is_active=True,
        ).first()
        if values["caseworker"] is None:
            errors["caseworker"] = _("A caseworker of your entity.")
    if errors:
        raise ValidationError(errors)
    values["identity_hash"] = identity_hash(values["names"], values["date_of_birth"])
    return values


@dataclass
class Opened:
    case: Case
    duplicates_here: list[str]  # references of matching cases in the same entity
    duplicates_elsewhere: int  # matching cases in other entities (no detail crosses over)


def _event(case: Case, kind: str, actor: User | None, note: str = "") -> None:
    CaseEvent.objects.create(case=case, kind=kind, actor=actor, note=note[:500])


@transaction.atomic
def case_open(*, actor: User, raw: dict[str, Any], screening: Screening | None = None) -> Opened:
    """Open a case (from a screening in one step, if given); warn of probable duplicates."""
    require_role(actor, *FIELD_STAFF)
    if screening is not None and (screening.entity_id != actor.entity_id or screening.case_id):
        raise not_found()
    if screening is not None and not raw.get("identified_on"):
        raw = {**raw, "identified_on": screening.screened_on.isoformat()}
    values = clean_case(raw, actor.entity)
    if values["caseworker"] is None and actor.role == Role.CASEWORKER:
        values["caseworker"] = actor
    Entity.objects.select_for_update().filter(pk=actor.entity_id).first()
    year = timezone.localdate().year
    prefix = f"{actor.entity.code}-C{year}-"
    number = Case.objects.filter(reference__startswith=prefix).count() + 1
    case = Case.objects.create(entity=actor.entity, reference=f"{prefix}{number:05d}", **values)
    _event(case, "opened", actor)
    if screening is not None:
        screening.case = case
        screening.save(update_fields=["case"])
        _event(
            case, "screening_linked", actor, f"{screening.indicator_set} {screening.screened_on}"
        )
    matches = (
        Case.objects.filter(identity_hash=case.identity_hash).exclude(pk=case.pk)
        if case.identity_hash
        else Case.objects.none()
    )
    here = sorted(m.reference for m in matches if m.entity_id == case.entity_id)
    elsewhere = sum(1 for m in matches if m.entity_id != case.entity_id)
    if here or elsewhere:
        _event(case, "duplicate_warning", actor, ", ".join(here))
    audit_record(
        actor=actor,
        action=CasesAction.CASE_OPENED,
        target=case,
        details={"duplicates": len(here) + elsewhere},
    )
    return Opened(case, here, elsewhere)


def may_see_identity(user: User, case: Case) -> bool:
    """The assigned caseworker and the entity's focal points; nobody else, ever."""
    if not user.is_active or user.entity_id != case.entity_id:
        return False
    return user.role == Role.FOCAL_POINT or (
        user.role == Role.CASEWORKER and case.caseworker_id == user.pk
    )


def identity_view(*, actor: User, case: Case) -> dict[str, str]:
    if not may_see_identity(actor, case):
        raise not_found()
    audit_record(
        actor=actor,
        action=CasesAction.IDENTITY_VIEWED,
        target=case,
        details={"reference": case.reference},
    )
    return {name: getattr(case, name) for name in IDENTITY_FIELDS}


def case_set_status(*, actor: User, case: Case, status: str, note: str = "") -> Case:
    require_role(actor, *FIELD_STAFF)
    if case.entity_id != actor.entity_id:
        raise not_found()
    if status not in CaseStatus.values:
        raise ValidationError(
            {"status": _("One of: %(codes)s") % {"codes": ", ".join(CaseStatus.values)}}
        )
    case.status = status
    case.closed_at = timezone.now() if status.startswith("closed") else None
    case.save(update_fields=["status", "closed_at"])
    _event(case, "status", actor, f"{status} {note}".strip())
    audit_record(
        actor=actor, action=CasesAction.CASE_UPDATED, target=case, details={"status": status}
    )
    return case


# --- referrals and services --------------------------------------------------------------


def offer_save(*, actor: User, service: str, country: str, area: str = "") -> ServiceOffer:
    """A provider lists a service it offers (its focal point keeps the directory)."""
    require_role(actor, Role.FOCAL_POINT)
    errors: dict[str, str] = {}
    if service not in ServiceType.values:
        errors["service"] = _("One of: %(codes)s") % {"codes": ", ".join(ServiceType.values)}
    found = Country.objects.filter(alpha3=country.strip().upper()).first()
    if found is None:
        errors["country"] = _("An ISO 3166 alpha-3 country code, e.g. IRQ.")
    if errors:
        raise ValidationError(errors)
    offer, _created = ServiceOffer.objects.get_or_create(
        entity=actor.entity, service=service, country=found, area=area.strip()[:200]
    )
    audit_record(
        actor=actor, action=CasesAction.OFFER_SAVED, target=offer, details={"service": service}
    )
    return offer


def _snapshot(case: Case, parts: list[str]) -> dict[str, Any]:
    shared: dict[str, Any] = {"reference": case.reference}
    if SharedPart.PROFILE in parts:
        shared.update(
            sex=case.get_sex_display(),
            age=case.get_age_band_display(),
            citizenship=case.citizenship_id or "",
            languages=case.languages,
        )
    if SharedPart.EXPLOITATION in parts:
        shared.update(
            forms_of_exploitation=case.forms_of_exploitation, means_of_control=case.means_of_control
        )
    if SharedPart.IDENTITY in parts:
        shared.update(names=case.names, date_of_birth=case.date_of_birth, contacts=case.contacts)
    if SharedPart.NARRATIVE in parts:
        shared.update(narrative=case.narrative)
    return shared


@transaction.atomic
def referral_create(
    *,
    actor: User,
    case: Case,
    to_entity: Entity,
    services: list[str],
    parts: list[str],
    note: str = "",
) -> Referral:
    """Refer a case: only with consent to referral; identity and narrative only with consent
    to data sharing; the provider is told at once."""
    require_role(actor, *FIELD_STAFF)
    if case.entity_id != actor.entity_id:
        raise not_found()
    errors: dict[str, str] = {}
    if not case.consent_referral:
        errors["case"] = _("The person has not consented to referral.")
    if set(parts) & IDENTITY_PARTS and not case.consent_sharing:
        errors["parts"] = _("The person has not consented to sharing identity or narrative.")
    if set(parts) - set(SharedPart.values):
        errors["parts"] = _("One of: %(codes)s") % {"codes": ", ".join(SharedPart.values)}
    services = sorted(set(services))
    if not services or set(services) - set(ServiceType.values):
        errors["services"] = _("Codes from: %(codes)s") % {"codes": ", ".join(ServiceType.values)}
    if to_entity.pk == case.entity_id or not to_entity.is_active:
        errors["to_entity"] = _("Another active entity.")
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        case=case,
        to_entity=to_entity,
        services=";".join(services),
        shared=json.dumps(_snapshot(case, parts), ensure_ascii=False),
        shared_parts=";".join(sorted(set(parts))),
        note=note.strip()[:500],
        created_by=actor,
    )
    _event(case, "referred", actor, f"{to_entity.code}: {', '.join(services)}")
    audit_record(
        actor=actor,
        action=CasesAction.REFERRAL_SENT,
        target=referral,
        details={"to": to_entity.code, "parts": referral.shared_parts},
    )
    notify(
        list(to_entity.users.filter(role__in=FIELD_STAFF, is_active=True)),
        _("New referral %(ref)s from %(entity)s")
        % {"ref": case.reference, "entity": actor.entity.code},
        _("A person has been referred to you for: %(services)s.")
        % {"services": ", ".join(services)},
        reverse("cases:referral", args=[referral.pk]),
    )
    return referral


ANSWERS = {
    "accept": (ReferralStatus.PENDING, ReferralStatus.ACCEPTED),
    "decline": (ReferralStatus.PENDING, ReferralStatus.DECLINED),
    "complete": (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED),
}


@transaction.atomic
def referral_answer(*, actor: User, referral: Referral, answer: str, note: str = "") -> Referral:
    """The provider accepts or declines, later completes; the referring side is told."""
    require_role(actor, *FIELD_STAFF)
    if referral.to_entity_id != actor.entity_id:
        raise not_found()
    if answer not in ANSWERS or referral.status != ANSWERS[answer][0]:
        raise ValidationError(_("This referral cannot be %(answer)s now.") % {"answer": answer})
    if answer == "decline" and not note.strip():
        raise ValidationError({"answer": _("Say why the referral is declined.")})
    referral.status = ANSWERS[answer][1]
    referral.answer = note.strip()[:500]
    referral.answered_at = timezone.now()
    referral.save(update_fields=["status", "answer", "answered_at"])
    _event(referral.case, f"referral_{referral.status}", actor, referral.to_entity.code)
    audit_record(
        actor=actor,
        action=CasesAction.REFERRAL_ANSWERED,
        target=referral,
        entity=actor.entity,
        details={"status": referral.status},
    )
    case = referral.case
    people = list(case.entity.users.filter(role=Role.FOCAL_POINT, is_active=True))
    if case.caseworker is not None:
        people.append(case.caseworker)
    notify(
        people,
        _("Referral of %(ref)s: %(status)s")
        % {"ref": case.reference, "status": referral.get_status_display()},
        referral.answer or referral.get_status_display(),
        reverse("cases:detail", args=[case.pk]),
    )
    return referral


def service_record(
    *, actor: User, case: Case, raw: dict[str, Any], referral: Referral | None = None
) -> ServiceDelivery:
    """The case's own entity, or the provider of an accepted referral, records a service."""
    require_role(actor, *FIELD_STAFF)
    if referral is not None:
        allowed = (
            referral.to_entity_id == actor.entity_id
            and referral.case_id == case.pk
            and referral.status in {ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED}
        )
    else:
        allowed = case.entity_id == actor.entity_id
    if not allowed:
        raise not_found()
    errors: dict[str, str] = {}
    service = str(raw.get("service") or "").strip()
    if service not in ServiceType.values:
        errors["service"] = _("One of: %(codes)s") % {"codes": ", ".join(ServiceType.values)}
    started = _date(raw.get("started_on"), "started_on", errors, required=True)
    ended = _date(raw.get("ended_on"), "ended_on", errors)
    if started and ended and ended < started:
        errors["ended_on"] = _("A service cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    delivery = ServiceDelivery.objects.create(
        case=case,
        referral=referral,
        provider=actor.entity,
        service=service,
        started_on=started,
        ended_on=ended,
        outcome=str(raw.get("outcome") or "").strip()[:500],
        recorded_by=actor,
    )
    _event(case, "service", actor, f"{actor.entity.code}: {service}")
    audit_record(
        actor=actor,
        action=CasesAction.SERVICE_RECORDED,
        target=delivery,
        entity=actor.entity,
        details={"service": service},
    )
    return delivery


def shared_identity_viewed(*, actor: User, referral: Referral) -> None:
    """A provider opened a referral that carries identity: recorded like any identity view."""
    audit_record(
        actor=actor,
        action=CasesAction.IDENTITY_VIEWED,
        target=referral,
        entity=actor.entity,
        details={"reference": referral.case.reference, "via": "referral"},
    )


@transaction.atomic
def case_report(*, actor: User, case: Case) -> Any:
    """Put the case into the open reporting round as a pseudonymised record — never the
    identity, only a keyed hash for counting each person once — if the person consented."""
    from ctip.statistics.models import ReportingRound
    from ctip.statistics.services import VICTIM_IDENTITY_PURPOSE, record_save

    require_role(actor, *FIELD_STAFF)
    if case.entity_id != actor.entity_id:
        raise not_found()
    if not case.consent_statistics:
        raise ValidationError(_("The person has not consented to inclusion in statistics."))
    if case.country_of_detection is None:
        raise ValidationError(_("Give the country where the person was identified."))
    year = case.identified_on.year
    round_ = ReportingRound.objects.filter(year=year, state="open").first()
    if round_ is None:
        raise ValidationError(_("No reporting round is open for %(year)s.") % {"year": year})
    record = record_save(
        actor=actor,
        round_=round_,
        country=case.country_of_detection,
        record_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"ctip:case:{case.reference}"),
        values={
            "year_of_identification": year,
            "citizenship": case.citizenship,
            "sex": case.sex,
            "age_band": case.age_band,
            "age_group": AgeBand(case.age_band).age_group,
            "recruiter_relation": case.recruiter_relation,
            "trafficking_status": case.trafficking_status,
            "status_decided_by": case.status_decided_by,
            "conflict_situation": case.conflict_situation,
            "forms_of_exploitation": case.forms_of_exploitation,
            "means_of_control": case.means_of_control,
            "displacement_status": case.displacement_status,
            "identity_hash": blind_index(
                f"{case.names}|{case.date_of_birth.strip()}", purpose=VICTIM_IDENTITY_PURPOSE
            )
            if case.names.strip()
            else "",
        },
    )
    case.reported_to_statistics = timezone.now()
    case.save(update_fields=["reported_to_statistics"])
    _event(case, "reported_to_statistics", actor, str(year))
    audit_record(
        actor=actor, action=CasesAction.CASE_UPDATED, target=case, details={"statistics": year}
    )
    return record


# --- anonymous tips, transfer, retention --------------------------------------------------

TIP_LIMITS = {"what": 20_000, "where": 500, "contact": 500}


def tip_receive(*, entity: Entity, raw: dict[str, Any]) -> Tip:
    """A tip from the public page (no sign-in): kept encrypted; the entity is told."""
    errors: dict[str, str] = {}
    values = {}
    for name, limit in TIP_LIMITS.items():
        text = str(raw.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
        values[name] = text
    if not values["what"]:
        errors["what"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    tip = Tip.objects.create(entity=entity, **values)
    audit_record(
        actor=None, action=CasesAction.TIP_RECEIVED, target=tip, entity=entity, actor_label="public"
    )
    notify(
        list(entity.users.filter(role__in=FIELD_STAFF, is_active=True)),
        _("New anonymous tip"),
        _("An anonymous tip about a possible case of trafficking arrived."),
        reverse("cases:tips"),
    )
    return tip


def tip_triage(*, actor: User, tip: Tip, status: str, note: str = "") -> Tip:
    require_role(actor, *FIELD_STAFF)
    if tip.entity_id != actor.entity_id:
        raise not_found()
    if status not in TipStatus.values or status == TipStatus.NEW:
        raise ValidationError(
            {"status": _("One of: %(codes)s") % {"codes": ", ".join(TipStatus.values[1:])}}
        )
    if status == TipStatus.DISMISSED and not note.strip():
        raise ValidationError({"note": _("Say why the tip is dismissed.")})
    tip.status, tip.triage_note, tip.triaged_by = status, note.strip()[:500], actor
    tip.save(update_fields=["status", "triage_note", "triaged_by"])
    audit_record(
        actor=actor, action=CasesAction.TIP_TRIAGED, target=tip, details={"status": status}
    )
    return tip


@transaction.atomic
def case_transfer(*, actor: User, case: Case, to_entity: Entity, note: str = "") -> Case:
    """Hand the whole case, history included, to another entity (focal point; the person
    must have consented to data sharing, since the identity goes with it)."""
    require_role(actor, Role.FOCAL_POINT)
    if case.entity_id != actor.entity_id:
        raise not_found()
    if not case.consent_sharing:
        raise ValidationError(_("The person has not consented to data sharing."))
    if to_entity.pk == case.entity_id or not to_entity.is_active:
        raise ValidationError({"to_entity": _("Another active entity.")})
    source = case.entity
    case.entity, case.caseworker = to_entity, None
    case.save(update_fields=["entity", "caseworker"])
    _event(case, "transferred", actor, f"{source.code} → {to_entity.code} {note}".strip())
    audit_record(
        actor=actor,
        action=CasesAction.CASE_TRANSFERRED,
        target=case,
        entity=source,
        details={"to": to_entity.code},
    )
    notify(
        list(to_entity.users.filter(role=Role.FOCAL_POINT, is_active=True)),
        _("Case %(ref)s transferred to you by %(entity)s")
        % {"ref": case.reference, "entity": source.code},
        note.strip()[:500] or _("Assign a caseworker."),
        reverse("cases:detail", args=[case.pk]),
    )
    return case


@transaction.atomic
def identities_purge(*, now: Any = None, dry_run: bool = False, actor_label: str = "") -> int:
    """Delete the identity of cases closed longer than CTIP_CASE_RETENTION_DAYS; the
    pseudonymous part and the timeline stay. Returns how many cases were (or would be) purged."""
    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.CTIP_CASE_RETENTION_DAYS)
    due = Case.objects.filter(
        status__in=[CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED],
        closed_at__lt=cutoff,
        identity_purged_at__isnull=True,
    )
    count = due.count()
    if dry_run or not count:
        return count
    for case in due:
        for name in IDENTITY_FIELDS:
            setattr(case, name, "")
        case.identity_hash, case.identity_purged_at = "", now
        case.save(update_fields=[*IDENTITY_FIELDS, "identity_hash", "identity_purged_at"])
        _event(case, "identity_purged", None)
    audit_record(
        actor=None,
        action=CasesAction.IDENTITIES_PURGED,
        details={"cases": count, "retention_days": settings.CTIP_CASE_RETENTION_DAYS},
        actor_label=actor_label or "cli:purge_identities",
    )
    return count


def case_assign(*, actor: User, case: Case, caseworker_id: str) -> Case:
    """The focal point assigns the case to one of the entity's caseworkers."""
    require_role(actor, Role.FOCAL_POINT)
    if case.entity_id != actor.entity_id:
        raise not_found()
    caseworker = User.objects.filter(
        pk=int(caseworker_id) if str(caseworker_id).isdigit() else 0,
        entity_id=case.entity_id,
        role=Role.CASEWORKER,
        is_active=True,
    ).first()
    if caseworker is None:
        raise ValidationError({"caseworker": _("A caseworker of your entity.")})
    case.caseworker = caseworker
    case.save(update_fields=["caseworker"])
    _event(case, "assigned", actor, caseworker.full_name)
    audit_record(
        actor=actor,
        action=CasesAction.CASE_UPDATED,
        target=case,
        details={"assigned": caseworker.pk},
    )
    return case
