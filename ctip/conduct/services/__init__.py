"""Writes of the conduct app, one module per concern; `services.x(...)` keeps working.

Every public service that writes is `@transaction.atomic` and records its audit event inside
the same transaction: the change and its audit event commit together or not at all. Each
takes `actor=` and checks the conduct policies (`ctip.conduct.policies`) itself, so the
pages, the API and the commands get the same answer.
"""

from ctip.conduct.services.intake import (
    TEXT_LIMITS,
    Identities,
    allegation_record,
    clean_allegation,
    identities_view,
)
from ctip.conduct.services.investigations import (
    ALERTS,
    deadline_alerts,
    investigation_extend,
    investigation_save,
)
from ctip.conduct.services.referral import victim_refer
from ctip.conduct.services.response import custody_log, step_done
from ctip.conduct.services.units import Merged, unit_add, unit_merge
from ctip.conduct.services.values import MAX_PEOPLE, SUBJECT_PURPOSE, parse_whole_number
from ctip.conduct.services.vetting import certification_save, vetting_check

__all__ = [
    "ALERTS",
    "MAX_PEOPLE",
    "SUBJECT_PURPOSE",
    "TEXT_LIMITS",
    "Identities",
    "Merged",
    "allegation_record",
    "certification_save",
    "clean_allegation",
    "custody_log",
    "deadline_alerts",
    "identities_view",
    "investigation_extend",
    "investigation_save",
    "parse_whole_number",
    "step_done",
    "unit_add",
    "unit_merge",
    "vetting_check",
    "victim_refer",
]
