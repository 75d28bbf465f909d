"""Named builders for the cases tests: a screening, a case, in a few words."""

from __future__ import annotations

from typing import Any

from ctip.cases import services
from ctip.cases.models import Case
from ctip.core.models import User

SCREENING: dict[str, Any] = {
    "screened_on": "2026-10-02",
    "place": "Lampedusa hotspot",
    "setting": "reception",
    "indicator_set": "ilo_forced_labour",
    "ilo_forced_labour_documents": "yes",
    "ilo_forced_labour_debt": "yes",
    "ilo_forced_labour_wages": "no",
    "outcome": "presumed_victim",
    "reason": "Passport kept by the employer; a debt that keeps growing.",
}
CASE: dict[str, Any] = {
    "names": "Amina Y.",
    "date_of_birth": "2009-04-01",
    "contacts": "+39 000 000",
    "narrative": "Recruited in Kano with a promise of work in a hair salon.",
    "sex": "F",
    "age_band": "9--17",
    "citizenship": "NGA",
    "forms_of_exploitation": ["SexualExploitation"],
    "consent_referral": "yes",
    "consent_date": "2026-10-02",
    "best_interests": "Placed in a specialised shelter for girls.",
}


def a_case(actor: User, **changes: Any) -> Case:
    return services.case_open(actor=actor, raw={**CASE, **changes}).case
