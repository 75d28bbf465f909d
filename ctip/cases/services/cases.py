"""Case files: open, change status, assign, transfer, report to the statistics."""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.cases import policies, selectors
from ctip.cases.codes import (
    CASE_SEXES,
    ApprovalKind,
    ApprovalState,
    CasesAction,
    CaseStatus,
    RiskLevel,
)
from ctip.cases.models import Case, CaseApproval, Screening
from ctip.cases.services.common import case_event
from ctip.cases.services.identity import (
    IDENTITY_FIELDS,
    duplicates_check,
    identity_hash,
    identity_linkage_key,
    identity_save,
)
from ctip.core.audit import audit_record
from ctip.core.codes import (
    AgeBand,
    DisplacementStatus,
    FormOfExploitation,
    MeansOfControl,
    RecruiterRelation,
    Sex,
    StatusDecidedBy,
    TraffickingStatus,
)
from ctip.core.models import ConflictSituation, Country, Entity, User
from ctip.core.policies import not_found
from ctip.core.services import notify
from ctip.core.values import parse_flag, parse_past_date, parse_whole_number, split_items

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
TEXT_LIMITS = {"languages": 200, "consent_scope": 300}
EARLIEST = datetime.date(1900, 1, 1)  # before it, a date on a case is a typing error
# a date typed as text: 2001-02-28, 28/02/2001, 28.02.2001 or 28-02-2001
_TYPED_DATE = re.compile(r"([0-9]{1,4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,4})")
_YEAR = re.compile(r"(?<![0-9])[0-9]{4,}(?![0-9])")


def check_date_of_birth(text: str, errors: dict[str, str]) -> None:
    """The date of birth stays free text ("about 1990"), but what looks like a date must be
    one (no 31/02/2001), and none may be in the future or before 1900. The message never
    repeats the value (an identity)."""
    today = timezone.localdate()
    typed = _TYPED_DATE.fullmatch(text.strip())
    if typed:
        first, month, last = typed.groups()
        if len(first) == 4:
            year, day = first, last
        elif len(last) == 4:
            year, day = last, first
        else:
            errors["date_of_birth"] = _("Write the year in full, e.g. 2001-02-28.")
            return
        try:
            born = datetime.date(int(year), int(month), int(day))
        except ValueError:
            errors["date_of_birth"] = _(
                "There is no such date: check the day and the month (e.g. 2001-02-28)."
            )
            return
        if born > today:
            errors["date_of_birth"] = _("A date of birth cannot be in the future.")
        elif born < EARLIEST:
            errors["date_of_birth"] = _("A date of birth from 1900 onwards.")
        return
    for year_text in _YEAR.findall(text):
        if int(year_text) > today.year:
            errors["date_of_birth"] = _("A date of birth cannot be in the future.")
        elif int(year_text) < EARLIEST.year:
            errors["date_of_birth"] = _("A date of birth from 1900 onwards.")


def _case_date(raw: Any, name: str, errors: dict[str, str]) -> datetime.date | None:
    value = parse_past_date(raw, name, errors)
    if value is not None and value < EARLIEST and name not in errors:
        errors[name] = _("A date from 1900 onwards.")
    return value


def clean_case(raw: dict[str, Any], entity: Entity) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, limit in IDENTITY_FIELDS.items():
        text = str(raw.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
        values[name] = text
    if values["date_of_birth"] and "date_of_birth" not in errors:
        check_date_of_birth(values["date_of_birth"], errors)
    for name, (choices, default) in CHOICES.items():
        value = str(raw.get(name) or "").strip() or default
        allowed = [code for code, _label in CASE_SEXES] if name == "sex" else choices.values
        if value and value not in allowed:
            errors[name] = _("One of: %(codes)s") % {"codes": ", ".join(allowed)}
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
    situation_id = selectors.parse_id(situation)
    values["conflict_situation"] = (
        ConflictSituation.objects.filter(pk=situation_id).first() if situation_id else None
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
        _case_date(raw.get("identified_on"), "identified_on", errors) or timezone.localdate()
    )
    for name, limit in TEXT_LIMITS.items():
        values[name] = str(raw.get(name) or "").strip()
        if len(values[name]) > limit:  # refused, not cut
            errors[name] = _("At most %(n)s characters.") % {"n": f"{limit:,}"}
    values["consent_date"] = _case_date(raw.get("consent_date"), "consent_date", errors)
    for name in ("consent_sharing", "consent_referral", "consent_statistics", "non_punishment"):
        try:
            values[name] = bool(parse_flag(raw.get(name)))
        except ValueError:
            errors[name] = _("Yes or no.")
    if (
        any(values.get(n) for n in ("consent_sharing", "consent_referral", "consent_statistics"))
        and not values["consent_date"]
        and "consent_date" not in errors
    ):
        errors["consent_date"] = _("Give the date the person consented.")
    caseworker = str(raw.get("caseworker") or "").strip()
    values["caseworker"] = None
    if caseworker:
        values["caseworker"] = User.objects.filter(
            pk=selectors.parse_id(caseworker) or 0,
            entity=entity,
            role__in=policies.CASEWORKERS,
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
    duplicate_check_paused: bool = False  # the actor's hourly allowance of checks is used up


def _create(entity: Entity, values: dict[str, Any], actor: User) -> Case:
    """The case row, its reference and its identity (`values` from `clean_case`)."""
    identity = {name: values.pop(name) for name in IDENTITY_FIELDS}
    Entity.objects.select_for_update().filter(pk=entity.pk).first()
    prefix = f"{entity.code}-C{timezone.localdate().year}-"
    number = Case.objects.filter(reference__startswith=prefix).count() + 1
    case = Case.objects.create(entity=entity, reference=f"{prefix}{number:05d}", **values)
    identity_save(case=case, values=identity)
    case_event(case, "opened", actor)
    return case


@transaction.atomic
def case_open_on_referral(
    *, referred_by: User, entity: Entity, raw: dict[str, Any], note: str
) -> Case:
    """A case opened on another team's referral (a freed abductee, from `ctip.incidents`),
    whose service checked its own rules and the person's consent. The entity's focal points
    (and the caseworker given, if any) are told; the audit event names who referred."""
    values = clean_case(raw, entity)
    case = _create(entity, values, referred_by)
    case_event(case, "referred_in", referred_by, note)
    audit_record(
        actor=referred_by,
        action=CasesAction.CASE_OPENED,
        target=case,
        entity=entity,
        details={"referred_from": note},
    )
    told = list(entity.users.filter(role__in=policies.FOCAL_POINTS, is_active=True))
    if case.caseworker is not None:
        told.append(case.caseworker)
    notify(
        told,
        _("A person was referred to you: case %(ref)s") % {"ref": case.reference},
        _("Opened on a referral from %(entity)s. Assign a caseworker if none is named.")
        % {"entity": referred_by.entity.code},
        reverse("cases:detail", args=[case.pk]),
    )
    return case


@transaction.atomic
def case_open(*, actor: User, raw: dict[str, Any], screening: Screening | None = None) -> Opened:
    """Open a case (from a screening in one step, if given); warn of probable duplicates."""
    policies.require_field_staff(actor)
    if screening is not None and (screening.entity_id != actor.entity_id or screening.case_id):
        raise not_found()
    if screening is not None and not raw.get("identified_on"):
        raw = {**raw, "identified_on": screening.screened_on.isoformat()}
    values = clean_case(raw, actor.entity)
    if values["caseworker"] is None and policies.may_be_caseworker(actor):
        values["caseworker"] = actor
    case = _create(actor.entity, values, actor)
    if screening is not None:
        screening.case = case
        screening.save(update_fields=["case"])
        case_event(
            case, "screening_linked", actor, f"{screening.indicator_set} {screening.screened_on}"
        )
    check = duplicates_check(actor=actor, case=case)
    if check.here or check.elsewhere:
        case_event(case, "duplicate_warning", actor, ", ".join(check.here))
    audit_record(
        actor=actor,
        action=CasesAction.CASE_OPENED,
        target=case,
        details={"duplicates": len(check.here) + check.elsewhere},
    )
    return Opened(case, check.here, check.elsewhere, check.paused)


@transaction.atomic
def case_set_status(*, actor: User, case: Case, status: str, note: str = "") -> Case:
    """Change the status. Closing is a focal point's (`policies.may_close`): a caseworker
    asks a focal point to approve the closure (`approval_request`). A focal point's closing
    answers the closure asked for, if any."""
    if not policies.may_work_on(actor, case):
        policies.require_field_staff(actor)
        raise not_found()
    if status not in CaseStatus.values:
        raise ValidationError(
            {"status": _("One of: %(codes)s") % {"codes": ", ".join(CaseStatus.values)}}
        )
    details: dict[str, Any] = {"status": status}
    if status in policies.CLOSED_STATUSES:
        if not policies.may_close(actor, case):
            raise ValidationError(
                {"status": _("A focal point approves the closure: ask for it on the case page.")}
            )
        details["closure_approved"] = list(
            CaseApproval.objects.filter(
                case=case, kind=ApprovalKind.CLOSURE, state=ApprovalState.PENDING
            ).values_list("pk", flat=True)
        )
        CaseApproval.objects.filter(pk__in=details["closure_approved"]).update(
            state=ApprovalState.APPROVED, decided_by=actor, decided_at=timezone.now()
        )
    status_write(case=case, actor=actor, status=status, note=note)
    audit_record(actor=actor, action=CasesAction.CASE_UPDATED, target=case, details=details)
    return case


def status_write(*, case: Case, actor: User, status: str, note: str = "") -> None:
    """For `case_set_status` and `approval_decide`, which check and audit: the status, the
    date of closing, the timeline."""
    case.status = status
    case.closed_at = timezone.now() if status in policies.CLOSED_STATUSES else None
    case.save(update_fields=["status", "closed_at"])
    case_event(case, "status", actor, f"{status} {note}".strip())


@transaction.atomic
def case_assign(*, actor: User, case: Case, caseworker_id: str) -> Case:
    """The focal point assigns the case to one of the entity's caseworkers."""
    policies.require_focal_point(actor)
    if not policies.may_work_on(actor, case):
        raise not_found()
    caseworker = selectors.caseworker_get(user=actor, caseworker_id=caseworker_id)
    if caseworker is None:
        raise ValidationError({"caseworker": _("A caseworker of your entity.")})
    case.caseworker = caseworker
    case.save(update_fields=["caseworker"])
    case_event(case, "assigned", actor, caseworker.full_name)
    audit_record(
        actor=actor,
        action=CasesAction.CASE_UPDATED,
        target=case,
        details={"assigned": caseworker.pk},
    )
    return case


@transaction.atomic
def case_transfer(*, actor: User, case: Case, to_entity: Entity, note: str = "") -> Case:
    """Hand the whole case, history and identity included, to another entity (focal point;
    the person must have consented to data sharing, since the identity goes with it)."""
    policies.require_focal_point(actor)
    if not policies.may_work_on(actor, case):
        raise not_found()
    if not case.consent_sharing:
        raise ValidationError(_("The person has not consented to data sharing."))
    if to_entity.pk == case.entity_id or not to_entity.is_active:
        raise ValidationError({"to_entity": _("Another active entity.")})
    source = case.entity
    case.entity, case.caseworker = to_entity, None
    case.save(update_fields=["entity", "caseworker"])
    case_event(case, "transferred", actor, f"{source.code} → {to_entity.code} {note}".strip())
    audit_record(
        actor=actor,
        action=CasesAction.CASE_TRANSFERRED,
        target=case,
        entity=source,
        details={"to": to_entity.code},
    )
    notify(
        list(to_entity.users.filter(role__in=policies.FOCAL_POINTS, is_active=True)),
        _("Case %(ref)s transferred to you by %(entity)s")
        % {"ref": case.reference, "entity": source.code},
        note.strip()[:500] or _("Assign a caseworker."),
        reverse("cases:detail", args=[case.pk]),
    )
    return case


@transaction.atomic
def case_report(*, actor: User, case: Case, linkage_secret: str, year: Any = None) -> Any:
    """Put the case into an open reporting round as a pseudonymised record — never the
    identity, only its linkage key for counting each person once — if the person consented.
    `year` is the round chosen (by default the year the person was identified); a round
    counts the people identified in its year. `linkage_secret` is the round's shared
    secret, used for the key and forgotten."""
    from ctip.linkage.keys import MIN_SECRET_CHARS
    from ctip.statistics.services import record_save

    policies.require_field_staff(actor)
    if not policies.may_work_on(actor, case):
        raise not_found()
    if not case.consent_statistics:
        raise ValidationError(_("The person has not consented to inclusion in statistics."))
    if case.country_of_detection is None:
        raise ValidationError(_("Give the country where the person was identified."))
    if len(linkage_secret.strip()) < MIN_SECRET_CHARS:
        raise ValidationError(
            _(
                "Give the round's linkage secret (at least %(n)s characters, from your focal "
                "point), so that this person is counted once with other entities' reports."
            )
            % {"n": MIN_SECRET_CHARS}
        )
    identified = case.identified_on.year
    chosen = identified if year in (None, "") else parse_whole_number(year, maximum=9999)
    round_ = next((r for r in selectors.rounds_open() if r.year == chosen), None)
    if round_ is None:
        raise ValidationError(
            {
                "round": _(
                    "The %(year)s reporting round is not open for submissions. Choose an open "
                    "round, or ask your focal point."
                )
                % {"year": chosen if chosen is not None else "?"}
            }
        )
    if round_.year != identified:
        raise ValidationError(
            {
                "round": _(
                    "The %(round)s round counts people identified in %(round)s; this person "
                    "was identified in %(year)s. If the date of identification is wrong, edit "
                    "the case; otherwise add the case when the %(year)s round opens."
                )
                % {"round": round_.year, "year": identified}
            }
        )
    year = round_.year
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
            "linkage_key": identity_linkage_key(case=case, secret=linkage_secret.strip()),
        },
    )
    case.reported_to_statistics = timezone.now()
    case.save(update_fields=["reported_to_statistics"])
    case_event(case, "reported_to_statistics", actor, str(year))
    audit_record(
        actor=actor, action=CasesAction.CASE_UPDATED, target=case, details={"statistics": year}
    )
    return record
