"""Small builders for the conduct tests: an allegation with identities, as an officer would
record it."""

from ctip.conduct import services
from ctip.conduct.models import Allegation
from ctip.core.models import User

RAW = {
    "channel": "community",
    "category": "sexual_exploitation",
    "incident_date": "2026-03-01",
    "reported_on": "2026-03-04",
    "victims_count": "2",
    "victims_minors": "1",
    "victims_female": "2",
    "victim_identities": "A. B., 16, Bangui",
    "personnel_category": "military",
    "contingent_country": "XYZ",
    "unit": "Battalion 3",
    "subject_identity": "Sgt. C. D.",
    "subject_identifier": "P-12345",
    "account": "Money offered for sex near the camp gate",
}
# words of the identities above that must never appear outside the audited read
SECRETS = ("Bangui", "C. D.", "Money offered", "P-12345")


def record(actor: User, **changes: str) -> Allegation:
    """An allegation of the actor's entity, with identities and an account."""
    return services.allegation_record(
        actor=actor, entity=actor.entity, raw={**RAW, "contingent_country": "PAK", **changes}
    )
