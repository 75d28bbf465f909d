"""An incident as a monitor records it, and the words that must stay encrypted."""

from typing import Any

from ctip.core.models import ConflictSituation, User
from ctip.incidents import services
from ctip.incidents.models import Incident

NARRATIVE = "Two girls taken from the school road at Ndélé"
SOURCE = "Teacher at the school"
SECRETS = (NARRATIVE, SOURCE)


def raw(where: ConflictSituation, /, **changes: Any) -> dict[str, Any]:
    return {
        "situation": str(where.pk),
        "date": "2025-05-10",
        "country": "CAF",
        "admin1": "Bamingui-Bangoran",
        "violations": ["abduction", "sexual_violence"],
        "party": "AGA",
        "girls": "2",
        "narrative": NARRATIVE,
        "sources": [{"source": SOURCE, "reliability": "reliable"}],
        **changes,
    }


def record(actor: User, where: ConflictSituation, /, **changes: Any) -> Incident:
    return services.incident_record(actor=actor, raw=raw(where, **changes))


def verified(
    recorder: User,
    verifier: User,
    where: ConflictSituation,
    /,
    on: str = "2025-06-01",
    **changes: Any,
) -> Incident:
    incident = record(recorder, where, **changes)
    services.verification_start(actor=recorder, incident=incident)
    return services.verification_decide(
        actor=verifier,
        incident=incident,
        raw={"status": "verified", "basis": "two_independent_sources", "decided_on": on},
    )


def listed_party(
    actor: User, where: ConflictSituation, name: str, year: int, violation: str, kind: str
) -> Any:
    """A party of the situation, listed in annex I of the report of `year` for `violation`."""
    party = services.party_save(
        actor=actor, raw={"situation": where.pk, "name": name, "kind": kind}
    )
    services.listing_save(
        actor=actor, party=party, raw={"annex": "caac_i", "year": year, "violations": [violation]}
    )
    return party
