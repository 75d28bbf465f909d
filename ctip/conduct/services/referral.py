"""A victim of sexual exploitation and abuse referred to assistance paid by the trust fund
for such victims: a case opened at one of its grantees (which records its cases in CTIP),
with the victim's consent, the case marked as funded by that grant. The identity typed here
goes into the case, encrypted, and nowhere else."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.cases.models import Case
from ctip.cases.services import case_open_on_referral
from ctip.conduct import policies
from ctip.conduct.codes import ConductAction
from ctip.conduct.models import Allegation
from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.core.values import parse_id, parse_past_date
from ctip.funds import services as funds


@transaction.atomic
def victim_refer(*, actor: User, allegation: Allegation, raw: dict[str, Any]) -> Case:
    """`raw`: provider (an entity id among `funds.sea_providers`), the victim's names, date
    of birth, sex and age band as the case form takes them, consent to referral and to
    sharing (the case is in another entity) with its date."""
    policies.require_allegation(actor, allegation)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    provider_id = parse_id(raw.get("provider"))
    grant = (
        funds.sea_grants(today).filter(grantee_entity_id=provider_id or 0).order_by("end").first()
    )
    if grant is None:
        errors["provider"] = _(
            "A provider financed by the trust fund for victims of sexual exploitation and abuse."
        )
    consent_on = parse_past_date(raw.get("consent_date"), "consent_date", errors, required=True)
    if not raw.get("consent_referral"):
        errors["consent_referral"] = _("Refer only with the person's consent.")
    if not raw.get("consent_sharing"):
        errors["consent_sharing"] = _(
            "The identity goes to another entity only with consent to data sharing."
        )
    if errors:
        raise ValidationError(errors)
    assert grant is not None and grant.grantee_entity is not None
    case = case_open_on_referral(
        referred_by=actor,
        entity=grant.grantee_entity,
        raw={
            "names": raw.get("names", ""),
            "date_of_birth": raw.get("date_of_birth", ""),
            "sex": raw.get("sex", "_U"),
            "age_band": raw.get("age_band", "unknown"),
            "country_of_detection": allegation.entity.country_id or "",
            "identified_on": today.isoformat(),
            "displacement_status": "unknown",
            "forms_of_exploitation": ["SexualExploitation"],
            "consent_referral": "yes",
            "consent_sharing": "yes",
            "consent_date": consent_on.isoformat(),
        },
        note=allegation.reference,
    )
    funds.funded_case(grant=grant, case=case, source=allegation.reference, referred_by=actor)
    audit_record(
        actor=actor,
        action=ConductAction.VICTIM_REFERRED,
        target=allegation,
        details={"case": case.reference, "grant": grant.grant_id},
    )
    return case
