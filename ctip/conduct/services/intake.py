"""Recording and following allegations: one validation for the staff form, the public form
and the API; every step audited; people told at once, never the details by e-mail."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.conduct.codes import (
    AllegationStatus,
    Category,
    Channel,
    ConductAction,
    CustodyAction,
    InvestigatingBody,
    Measure,
    Outcome,
    PersonnelCategory,
    ResponseStep,
)
from ctip.conduct.models import (
    Allegation,
    CustodyEntry,
    Investigation,
    UnitCertification,
    VettingCheck,
)
from ctip.conduct.selectors import READERS
from ctip.core.policies import require_role
from ctip.core.audit import audit_record
from ctip.core.codes import Role
from ctip.core.crypto import blind_index
from ctip.core.models import Country, Entity, User
from ctip.core.services import notify
from ctip.core.values import parse_flag, split_items

SUBJECT_PURPOSE = "conduct.subject"
MAX_PEOPLE = 10_000
TEXT_LIMITS = {
    "victim_identities": 5_000,
    "subject_identity": 2_000,
    "account": 20_000,
    "unit": 120,
}


def _date(raw: Any, name: str, errors: dict[str, str], required: bool = False) -> Any:
    text = str(raw or "").strip()
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


def _count(raw: Any, name: str, errors: dict[str, str], default: int = 0) -> int:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) > MAX_PEOPLE:
        errors[name] = _("A whole number from 0 to %(n)s.") % {"n": f"{MAX_PEOPLE:,}"}
        return default
    return int(text)


def _choice(raw: Any, name: str, choices: Any, errors: dict[str, str]) -> str:
    value = str(raw or "").strip()
    if value not in choices.values:
        errors[name] = _("One of: %(codes)s") % {"codes": ", ".join(choices.values)}
    return value


def clean_allegation(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate raw input (strings) into model values; ValidationError names the fields."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "channel": _choice(raw.get("channel"), "channel", Channel, errors),
        "category": _choice(raw.get("category"), "category", Category, errors),
        "personnel_category": _choice(
            raw.get("personnel_category") or PersonnelCategory.UNKNOWN,
            "personnel_category",
            PersonnelCategory,
            errors,
        ),
        "incident_date": _date(raw.get("incident_date"), "incident_date", errors),
        "reported_on": _date(raw.get("reported_on"), "reported_on", errors) or timezone.localdate(),
    }
    if values["incident_date"] and values["incident_date"] > values["reported_on"]:
        errors["incident_date"] = _("The incident cannot come after the report.")
    for name, default in (("victims_count", 1), ("victims_minors", 0)):
        values[name] = _count(raw.get(name), name, errors, default)
    for name in ("victims_female", "victims_male"):
        values[name] = _count(raw.get(name), name, errors)
    if values["victims_minors"] > values["victims_count"]:
        errors["victims_minors"] = _("More minors than victims.")
    if values["victims_female"] + values["victims_male"] > values["victims_count"]:
        errors["victims_female"] = _("More women and men than victims.")
    for name, limit in TEXT_LIMITS.items():
        text = str(raw.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
        values[name] = text
    code = str(raw.get("contingent_country") or "").strip().upper()
    values["contingent_country"] = Country.objects.filter(alpha3=code).first() if code else None
    if code and values["contingent_country"] is None:
        errors["contingent_country"] = _("An ISO 3166 alpha-3 country code, e.g. IRQ.")
    identifier = str(raw.get("subject_identifier") or "").strip()
    if len(identifier) > 200:
        errors["subject_identifier"] = _("At most %(n)s characters.") % {"n": "200"}
    values["subject_hash"] = blind_index(identifier, purpose=SUBJECT_PURPOSE) if identifier else ""
    if errors:
        raise ValidationError(errors)
    return values


def _conduct_officers(entity: Entity) -> list[User]:
    """The entity's conduct officers and the system-wide ones."""
    return list(
        User.objects.filter(role=Role.CONDUCT_OFFICER, is_active=True).filter(
            Q(entity=entity) | Q(entity__code=settings.CTIP_OPERATOR_ENTITY)
        )
    )


def _path(allegation_id: int) -> str:
    return reverse("conduct:detail", args=[allegation_id])


def _next_reference(entity: Entity, year: int) -> str:
    prefix = f"{entity.code}-{year}-"
    taken = Allegation.objects.filter(reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def allegation_record(
    *, actor: User | None, entity: Entity, raw: dict[str, Any], actor_label: str = ""
) -> Allegation:
    """Record an allegation at once: it is in the register the moment it is saved, and the
    entity's focal points and conduct officers (and the system-wide ones) are told."""
    if actor is not None:
        require_role(actor, *READERS, Role.FOCAL_POINT)
    values = clean_allegation(raw)
    if actor is None:
        values["channel"] = Channel.PUBLIC_FORM
    Entity.objects.select_for_update().filter(pk=entity.pk).first()  # one reference at a time
    allegation = Allegation.objects.create(
        entity=entity,
        reference=_next_reference(entity, values["reported_on"].year),
        created_by=actor,
        **values,
    )
    audit_record(
        actor=actor,
        action=ConductAction.ALLEGATION_RECORDED,
        target=allegation,
        entity=entity,
        details={"reference": allegation.reference, "channel": allegation.channel},
        actor_label=actor_label,
    )
    focal_points = list(entity.users.filter(role=Role.FOCAL_POINT, is_active=True))
    # focal points are told that something came in; only conduct officers can open it
    notify(
        _conduct_officers(entity),
        _("New allegation %(ref)s") % {"ref": allegation.reference},
        _("An allegation of sexual exploitation or abuse was recorded for %(entity)s: %(ref)s.")
        % {"entity": entity.code, "ref": allegation.reference},
        _path(allegation.pk),
    )
    notify(
        focal_points,
        _("New allegation %(ref)s") % {"ref": allegation.reference},
        _("An allegation of sexual exploitation or abuse was recorded for %(entity)s: %(ref)s.")
        % {"entity": entity.code, "ref": allegation.reference},
    )
    return allegation


def identities_view(*, actor: User, allegation: Allegation) -> dict[str, str]:
    """The encrypted parts, shown on purpose and audited every time."""
    require_role(actor, *READERS)
    audit_record(
        actor=actor,
        action=ConductAction.IDENTITY_VIEWED,
        target=allegation,
        entity=allegation.entity,
        details={"reference": allegation.reference},
    )
    return {
        "victim_identities": allegation.victim_identities,
        "subject_identity": allegation.subject_identity,
        "account": allegation.account,
    }


def step_done(*, actor: User, allegation: Allegation, step: str) -> None:
    require_role(actor, *READERS)
    if step not in ResponseStep.values:
        raise ValidationError({"step": _("Unknown step.")})
    allegation.steps_done[step] = {"at": timezone.now().isoformat(), "by": actor.full_name}
    allegation.save(update_fields=["steps_done"])
    audit_record(
        actor=actor,
        action=ConductAction.STEP_DONE,
        target=allegation,
        entity=allegation.entity,
        details={"step": step},
    )


def custody_log(*, actor: User, allegation: Allegation, raw: dict[str, Any]) -> CustodyEntry:
    require_role(actor, *READERS)
    errors: dict[str, str] = {}
    item = str(raw.get("item") or "").strip()[:200]
    holder = str(raw.get("holder") or "").strip()[:200]
    if not item:
        errors["item"] = _("This field is required.")
    if not holder:
        errors["holder"] = _("This field is required.")
    action = _choice(raw.get("action"), "action", CustodyAction, errors)
    try:
        at = datetime.datetime.fromisoformat(str(raw.get("at") or ""))
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        if at > timezone.now() + datetime.timedelta(minutes=5):
            errors["at"] = _("A date cannot be in the future.")
    except ValueError:
        errors["at"] = _("A date and time such as 2024-03-31T14:30.")
        at = timezone.now()
    if errors:
        raise ValidationError(errors)
    entry = CustodyEntry.objects.create(
        allegation=allegation, item=item, action=action, holder=holder, at=at, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=ConductAction.CUSTODY_LOGGED,
        target=allegation,
        entity=allegation.entity,
        details={"action": action},
    )
    return entry


@transaction.atomic
def investigation_save(
    *, actor: User, allegation: Allegation, raw: dict[str, Any]
) -> Investigation:
    """Open or update the investigation; a finished one closes the allegation."""
    require_role(actor, *READERS)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "body": _choice(raw.get("body"), "body", InvestigatingBody, errors),
        "referred_on": _date(raw.get("referred_on"), "referred_on", errors, required=True),
        "started_on": _date(raw.get("started_on"), "started_on", errors),
        "finished_on": _date(raw.get("finished_on"), "finished_on", errors),
        "outcome": _choice(raw.get("outcome") or Outcome.ONGOING, "outcome", Outcome, errors),
        "paternity_claims": _count(raw.get("paternity_claims"), "paternity_claims", errors),
        "victim_referral": str(raw.get("victim_referral") or "").strip()[:300],
    }
    for name in ("measures", "interim_measures"):
        codes = sorted(set(split_items(raw.get(name))))
        if set(codes) - set(Measure.values):
            errors[name] = _("Codes from: %(codes)s") % {"codes": ", ".join(Measure.values)}
        values[name] = ";".join(codes)
    finished = values["outcome"] != Outcome.ONGOING
    if finished and not values["finished_on"]:
        errors["finished_on"] = _("Give the date the investigation finished.")
    if not finished and values["finished_on"]:
        errors["outcome"] = _("A finished investigation has an outcome.")
    if values["referred_on"] and values["referred_on"] < allegation.reported_on:
        errors["referred_on"] = _("Referral cannot come before the report.")
    if errors:
        raise ValidationError(errors)
    investigation = getattr(allegation, "investigation", None) or Investigation(
        allegation=allegation
    )
    for name, value in values.items():
        setattr(investigation, name, value)
    investigation.updated_at = timezone.now()
    investigation.save()
    allegation.status = (
        AllegationStatus.CLOSED if finished else AllegationStatus.UNDER_INVESTIGATION
    )
    allegation.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=ConductAction.INVESTIGATION_SAVED,
        target=allegation,
        entity=allegation.entity,
        details={"outcome": investigation.outcome},
    )
    return investigation


def investigation_extend(
    *, actor: User, investigation: Investigation, days: Any, reason: str
) -> Investigation:
    require_role(actor, *READERS)
    errors: dict[str, str] = {}
    text = str(days or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 365:
        errors["days"] = _("A number of days from 1 to 365.")
    if not reason.strip():
        errors["reason"] = _("Say why the investigation needs more time.")
    if errors:
        raise ValidationError(errors)
    investigation.extension_days += int(text)
    investigation.extensions.append(
        {
            "days": int(text),
            "reason": reason.strip()[:500],
            "by": actor.full_name,
            "at": timezone.now().isoformat(),
        }
    )
    # a new deadline: alerts about the old one no longer hold
    investigation.alerts_sent = []
    investigation.save(update_fields=["extension_days", "extensions", "alerts_sent"])
    audit_record(
        actor=actor,
        action=ConductAction.INVESTIGATION_EXTENDED,
        target=investigation.allegation,
        entity=investigation.allegation.entity,
        details={"days": int(text)},
    )
    return investigation


ALERTS = (("overdue", -1), ("7", 7), ("30", 30))


def deadline_alerts(today: datetime.date | None = None) -> int:
    """Tell the conduct officers 30 and 7 days before an investigation is due, and when it is
    overdue; each alert once. Run daily (`ctip conduct_alerts`)."""
    today = today or timezone.localdate()
    sent = 0
    ongoing = Investigation.objects.filter(outcome=Outcome.ONGOING).select_related(
        "allegation__entity"
    )
    for investigation in ongoing:
        left = investigation.days_left(today)
        for label, within in ALERTS:
            due = left < 0 if label == "overdue" else left <= within
            if not due or label in investigation.alerts_sent:
                continue
            reference = investigation.allegation.reference
            subject = (
                _("Investigation %(ref)s is overdue")
                if label == "overdue"
                else _("Investigation %(ref)s is due in %(days)s days")
            ) % {"ref": reference, "days": left}
            notify(
                _conduct_officers(investigation.allegation.entity),
                subject,
                subject,
                _path(investigation.allegation_id),
            )
            # one alert a day is enough: the most urgent that applies
            investigation.alerts_sent = sorted(
                {*investigation.alerts_sent, *[a for a, w in ALERTS if w >= within]}
            )
            investigation.save(update_fields=["alerts_sent"])
            audit_record(
                actor=None,
                actor_label="cli:conduct_alerts",
                action=ConductAction.DEADLINE_ALERT,
                target=investigation.allegation,
                entity=investigation.allegation.entity,
                details={"alert": label},
            )
            sent += 1
            break
    return sent


def vetting_check(*, actor: User, identifier: str, purpose: str = "") -> bool:
    """Hit when the person is the subject of a substantiated allegation anywhere. Only the
    keyed hash of the identifier is compared; neither it nor the answer's details are kept."""
    require_role(actor, *READERS)
    if not identifier.strip():
        raise ValidationError({"identifier": _("This field is required.")})
    digest = blind_index(identifier, purpose=SUBJECT_PURPOSE)
    hit = Allegation.objects.filter(
        subject_hash=digest, investigation__outcome=Outcome.SUBSTANTIATED
    ).exists()
    check = VettingCheck.objects.create(
        entity=actor.entity, checked_by=actor, hit=hit, purpose=purpose.strip()[:200]
    )
    audit_record(
        actor=actor,
        action=ConductAction.VETTING_CHECKED,
        target=check,
        details={"hit": int(hit)},
    )
    return hit


def certification_save(*, actor: User, raw: dict[str, Any]) -> UnitCertification:
    """A Member State's certification of a unit for a mission; incomplete ones show missing."""
    require_role(actor, *READERS)
    errors: dict[str, str] = {}
    code = str(raw.get("country") or "").strip().upper()
    country = Country.objects.filter(alpha3=code).first()
    if country is None:
        errors["country"] = _("An ISO 3166 alpha-3 country code, e.g. IRQ.")
    unit = str(raw.get("unit") or "").strip()[:120]
    if not unit:
        errors["unit"] = _("This field is required.")
    deployed = _date(raw.get("deployed_on"), "deployed_on", errors, required=True)
    certified = _date(raw.get("certified_on"), "certified_on", errors)
    personnel = _count(raw.get("personnel"), "personnel", errors)
    flags = {}
    for name in ("training_done", "no_prior_misconduct"):
        try:
            flags[name] = bool(parse_flag(raw.get(name)))
        except ValueError:
            errors[name] = _("Yes or no.")
    if errors:
        raise ValidationError(errors)
    certification, _created = UnitCertification.objects.update_or_create(
        entity=actor.entity,
        country=country,
        unit=unit,
        deployed_on=deployed,
        defaults={
            "certified_on": certified,
            "personnel": personnel,
            "recorded_by": actor,
            **flags,
        },
    )
    audit_record(
        actor=actor,
        action=ConductAction.CERTIFICATION_SAVED,
        target=certification,
        details={"country": code, "complete": int(certification.complete)},
    )
    return certification
