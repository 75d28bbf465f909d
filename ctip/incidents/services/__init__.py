"""Writes of the incidents app, one module per concern; `services.x(...)` keeps working.

Every public service that writes is `@transaction.atomic` and records its audit event in the
same transaction. Each takes `actor=` and checks `ctip.incidents.policies` itself, so the
pages, the API and the commands get the same answer.
"""

from ctip.incidents.services.abductees import (
    abductee_add,
    abductee_identity_view,
    abductee_refer,
    abductee_status,
)
from ctip.incidents.services.importing import (
    COLUMNS,
    MAX_INCIDENT_ROWS,
    OPTIONAL,
    ImportReport,
    incidents_import,
)
from ctip.incidents.services.parties import listing_save, party_resolve, party_save
from ctip.incidents.services.record import (
    Details,
    clean_incident,
    details_view,
    editable_values,
    incident_record,
    incident_update,
    patterns_exported,
)
from ctip.incidents.services.reporting import Reported, for_exploitation, incidents_report
from ctip.incidents.services.verification import verification_decide, verification_start

__all__ = [
    "COLUMNS",
    "MAX_INCIDENT_ROWS",
    "OPTIONAL",
    "Details",
    "ImportReport",
    "Reported",
    "abductee_add",
    "abductee_identity_view",
    "abductee_refer",
    "abductee_status",
    "clean_incident",
    "details_view",
    "editable_values",
    "for_exploitation",
    "incident_record",
    "incident_update",
    "incidents_import",
    "incidents_report",
    "listing_save",
    "party_resolve",
    "party_save",
    "patterns_exported",
    "verification_decide",
    "verification_start",
]
