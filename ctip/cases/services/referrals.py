"""Referrals to providers, services given, the directory of providers."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ctip.cases import policies
from ctip.cases.codes import (
    IDENTITY_PARTS,
    CasesAction,
    ReferralStatus,
    ServiceType,
    SharedPart,
)
from ctip.cases.models import Case, Referral, ServiceDelivery, ServiceOffer
from ctip.cases.services.common import case_event
from ctip.cases.services.identity import identity_for_referral
from ctip.core.audit import audit_record
from ctip.core.models import Country, Entity, User
from ctip.core.policies import not_found
from ctip.core.services import notify
from ctip.core.values import parse_past_date


@transaction.atomic
def offer_save(*, actor: User, service: str, country: str, area: str = "") -> ServiceOffer:
    """A provider lists a service it offers (its focal point keeps the directory)."""
    policies.require_focal_point(actor)
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
    if set(parts) & IDENTITY_PARTS:  # consent to data sharing checked by the caller
        identity = identity_for_referral(case=case)
        if SharedPart.IDENTITY in parts:
            shared.update(
                names=identity["names"],
                date_of_birth=identity["date_of_birth"],
                contacts=identity["contacts"],
            )
        if SharedPart.NARRATIVE in parts:
            shared.update(narrative=identity["narrative"])
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
    policies.require_field_staff(actor)
    if not policies.may_work_on(actor, case):
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
    case_event(case, "referred", actor, f"{to_entity.code}: {', '.join(services)}")
    audit_record(
        actor=actor,
        action=CasesAction.REFERRAL_SENT,
        target=referral,
        details={"to": to_entity.code, "parts": referral.shared_parts},
    )
    notify(
        list(to_entity.users.filter(role__in=policies.FIELD_STAFF, is_active=True)),
        _("New referral %(ref)s from %(entity)s")
        % {"ref": case.reference, "entity": actor.entity.code},
        _("A person has been referred to you for: %(services)s.")
        % {"services": ", ".join(services)},
        reverse("cases:referral", args=[referral.pk]),
    )
    return referral


@transaction.atomic
def referral_shared_read(*, actor: User, referral: Referral) -> dict[str, Any]:
    """The provider reads what the person agreed to share. The snapshot is decrypted here
    only; a snapshot that carries identity or narrative is audited like any identity view."""
    if not policies.may_answer(actor, referral):
        raise not_found()
    if set(referral.shared_parts.split(";")) & IDENTITY_PARTS:
        audit_record(
            actor=actor,
            action=CasesAction.IDENTITY_VIEWED,
            target=referral,
            entity=actor.entity,
            details={"reference": referral.case.reference, "via": "referral"},
        )
    stored = Referral.objects.filter(pk=referral.pk).values_list("shared", flat=True).first()
    return json.loads(stored or "{}")


ANSWERS = {
    "accept": (ReferralStatus.PENDING, ReferralStatus.ACCEPTED),
    "decline": (ReferralStatus.PENDING, ReferralStatus.DECLINED),
    "complete": (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED),
}


REFUSED = {  # why an answer does not fit the referral's state
    "accept": _lazy("This referral cannot be accepted now."),
    "decline": _lazy("This referral cannot be declined now."),
    "complete": _lazy("This referral cannot be completed now."),
}


@transaction.atomic
def referral_answer(*, actor: User, referral: Referral, answer: str, note: str = "") -> Referral:
    """The provider accepts or declines, later completes; the referring side is told."""
    policies.require_field_staff(actor)
    if not policies.may_answer(actor, referral):
        raise not_found()
    if answer not in ANSWERS or referral.status != ANSWERS[answer][0]:
        raise ValidationError(REFUSED.get(answer, _("Answer accept, decline or complete.")))
    if answer == "decline" and not note.strip():
        raise ValidationError({"answer": _("Say why the referral is declined.")})
    referral.status = ANSWERS[answer][1]
    referral.answer = note.strip()[:500]
    referral.answered_at = timezone.now()
    referral.save(update_fields=["status", "answer", "answered_at"])
    case_event(referral.case, f"referral_{referral.status}", actor, referral.to_entity.code)
    audit_record(
        actor=actor,
        action=CasesAction.REFERRAL_ANSWERED,
        target=referral,
        entity=actor.entity,
        details={"status": referral.status},
    )
    case = referral.case
    people = list(case.entity.users.filter(role__in=policies.FOCAL_POINTS, is_active=True))
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


@transaction.atomic
def service_record(
    *, actor: User, case: Case, raw: dict[str, Any], referral: Referral | None = None
) -> ServiceDelivery:
    """The case's own entity, or the provider of an accepted referral, records a service."""
    policies.require_field_staff(actor)
    if not policies.may_record_service(actor, case, referral):
        raise not_found()
    errors: dict[str, str] = {}
    service = str(raw.get("service") or "").strip()
    if service not in ServiceType.values:
        errors["service"] = _("One of: %(codes)s") % {"codes": ", ".join(ServiceType.values)}
    started = parse_past_date(raw.get("started_on"), "started_on", errors, required=True)
    ended = parse_past_date(raw.get("ended_on"), "ended_on", errors)
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
    case_event(case, "service", actor, f"{actor.entity.code}: {service}")
    audit_record(
        actor=actor,
        action=CasesAction.SERVICE_RECORDED,
        target=delivery,
        entity=actor.entity,
        details={"service": service},
    )
    return delivery
