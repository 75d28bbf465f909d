"""Who sees incidents: the one place where the incidents app's access rules live.

Incidents, their details and abductees are the monitors' of the recording entity, and
nobody else's: not administrators, not focal points. A decision on verification needs a
second monitor (four eyes): never the one who recorded the incident. Analysts see the
verified patterns of every entity as counts, never a row; a focal point reports the
entity's verified abductions to the statistics as pseudonymised records. The register of
parties is no secret (the annexes are public): every monitor and analyst reads it, monitors
keep it. A role refusal is a 403; another entity's incident is the same 404 as a missing one.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from ctip.core.codes import Role
from ctip.core.models import User
from ctip.core.policies import not_found, require_role
from ctip.incidents.codes import Verification
from ctip.incidents.models import Abductee, Incident, Listing, Party

MONITORS = (Role.MONITOR,)
PATTERN_READERS = (Role.MONITOR, Role.ANALYST)
REPORTERS = (Role.FOCAL_POINT,)
# encrypted columns a list never loads (they are in their own tables; this is the rule)
DETAILS = ("narrative", "sources", "decision_note")


def require_monitor(user: User) -> None:
    require_role(user, *MONITORS)


def require_pattern_reader(user: User) -> None:
    require_role(user, *PATTERN_READERS)


def require_reporter(user: User) -> None:
    require_role(user, *REPORTERS)


def is_analyst(user: User) -> bool:
    return user.has_role(Role.ANALYST)


def may_work_on(user: User, incident: Incident) -> bool:
    return user.has_role(*MONITORS) and incident.entity_id == user.entity_id


def require_incident(user: User, incident: Incident) -> None:
    """403 for another role; for another entity's incident the same 404 as a missing one."""
    require_monitor(user)
    if not may_work_on(user, incident):
        raise not_found()


def may_decide(user: User, incident: Incident) -> bool:
    """Four eyes: a monitor of the entity other than the one who recorded the incident."""
    return may_work_on(user, incident) and incident.recorded_by_id != user.pk


# --- scopes: what a user may reach at all (selectors start here) ------------------------------


def incidents_scope(user: User) -> QuerySet[Incident]:
    require_monitor(user)
    return Incident.objects.filter(entity_id=user.entity_id)


def abductees_scope(user: User) -> QuerySet[Abductee]:
    require_monitor(user)
    return Abductee.objects.filter(incident__entity_id=user.entity_id)


def counting_scope(user: User) -> QuerySet[Incident]:
    """Incidents to be counted, never listed: the entity's for a monitor, every entity's for
    an analyst. The patterns keep the verified ones (`patterns_scope`); an evidence pack
    also says how many attributed incidents are not verified."""
    require_pattern_reader(user)
    found = Incident.objects.all()
    return found if is_analyst(user) else found.filter(entity_id=user.entity_id)


def patterns_scope(user: User) -> QuerySet[Incident]:
    """Verified incidents only, to be counted (see `counting_scope`)."""
    return counting_scope(user).filter(status=Verification.VERIFIED)


def reportable_scope(user: User) -> QuerySet[Incident]:
    """The entity's verified incidents, for its focal point's report to the statistics."""
    require_reporter(user)
    return Incident.objects.filter(entity_id=user.entity_id, status=Verification.VERIFIED)


def parties_scope(user: User) -> QuerySet[Party]:
    require_pattern_reader(user)
    return Party.objects.all()


# --- who is named in public figures -------------------------------------------------------


def publicly_named_parties(year: int) -> set[int]:
    """The parties that public figures of `year` may name: those listed in an annex of the
    Secretary-General's report (any annex, for any violation) for a year up to `year` + 1.
    The report of Y + 1 covers the violations of Y; a listed party has been named publicly by
    the United Nations, and CTIP names no one the United Nations has not. Every other
    perpetrator, an unlisted party or an unknown one, is counted with the others of its
    situation, never by name; a party listed only in a later report is not named for `year`.
    A listing recorded for a report of a year still to come is not public yet (reports are
    prepared months ahead): only reports up to the current year count.
    """
    published = min(year + 1, timezone.localdate().year)
    return set(
        Listing.objects.filter(year__lte=published).values_list("party_id", flat=True).distinct()
    )
