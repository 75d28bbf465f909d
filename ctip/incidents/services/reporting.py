"""Verified abductions for exploitation into the GLOTIP round, as conflict-related victims:
pseudonymised records, never identities. A person followed by name gets a linkage key made
with the round's shared secret (as an entity makes it at the source), so that a girl
counted here and in a case after her referral is counted once; the others of the incident's
counts become records without a key. Each record's id is derived from the incident, so
reporting again replaces rather than adds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.incidents import policies
from ctip.incidents.codes import (
    EXPLOITATION,
    GROUP_SEX_AGE,
    IncidentsAction,
    PartyKind,
    Violation,
)
from ctip.incidents.models import GROUPS, AbducteeIdentity, Incident

AGE_BAND = {"Y0T17": "9--17", "Y_GE18": "unknown", "_U": "unknown"}


def for_exploitation(incident: Incident) -> list[str]:
    """The forms of exploitation an abduction was for; empty when it is not one."""
    codes = incident.violation_codes
    if Violation.ABDUCTION not in codes:
        return []
    return sorted({form for code in codes for form in EXPLOITATION.get(code, ())})


@dataclass(frozen=True)
class Reported:
    incidents: int
    records: int
    with_linkage_key: int


def _key(abductee_id: int, sex: str, secret: str) -> str:
    from ctip.linkage.keys import Identity, IdentityProblem, encode

    found = AbducteeIdentity.objects.filter(abductee_id=abductee_id).first()
    if found is None or not found.names.strip():
        return ""
    try:
        return encode(Identity(found.names, "", found.date_of_birth, sex), secret)
    except IdentityProblem:
        return encode(Identity(found.names, "", "", sex), secret)


@transaction.atomic
def incidents_report(*, actor: User, year: int, linkage_secret: str) -> Reported:
    """The entity's verified abductions for exploitation of `year` into the open round."""
    from ctip.linkage.keys import MIN_SECRET_CHARS
    from ctip.statistics.models import ReportingRound
    from ctip.statistics.services import record_save

    policies.require_reporter(actor)
    round_ = ReportingRound.objects.filter(year=year, state="open").first()
    if round_ is None:
        raise ValidationError(_("No reporting round is open for %(year)s.") % {"year": year})
    secret = linkage_secret.strip()
    if len(secret) < MIN_SECRET_CHARS:
        raise ValidationError(
            _("Give the round's linkage secret (at least %(n)s characters).")
            % {"n": MIN_SECRET_CHARS}
        )
    incidents = reported = keyed = 0
    found = (
        policies.reportable_scope(actor)
        .filter(year=year, violations__contains=Violation.ABDUCTION)
        .select_related("country", "situation", "party")
        .prefetch_related("abductees")
    )
    for incident in found:
        forms = for_exploitation(incident)
        if not forms:
            continue
        incidents += 1
        non_state = incident.party is None or incident.party.kind == PartyKind.NON_STATE
        common = {
            "year_of_identification": year,
            "trafficking_status": "ActualVictimOfTrafficking",
            "status_decided_by": "Other",
            "conflict_situation": incident.situation,
            "forms_of_exploitation": ";".join(forms),
            "armed_group_involved": True if non_state else None,
        }
        named = {
            group: [a for a in incident.abductees.all() if a.group == group] for group in GROUPS
        }
        for group in GROUPS:
            sex, age = GROUP_SEX_AGE[group]
            people = [(f"abductee:{a.pk}", _key(a.pk, sex, secret)) for a in named[group]]
            people += [
                (f"incident:{incident.reference}:{group}:{n}", "")
                for n in range(len(people), getattr(incident, group))
            ]
            for name, key in people:
                record_save(
                    actor=actor,
                    round_=round_,
                    country=incident.country,
                    record_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"ctip:{name}"),
                    values={
                        **common,
                        "sex": sex,
                        "age_group": age,
                        "age_band": AGE_BAND[age],
                        "linkage_key": key,
                    },
                )
                reported += 1
                keyed += bool(key)
    audit_record(
        actor=actor,
        action=IncidentsAction.REPORTED,
        details={"year": year, "incidents": incidents, "records": reported, "keyed": keyed},
    )
    return Reported(incidents, reported, keyed)
