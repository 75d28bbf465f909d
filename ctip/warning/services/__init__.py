"""Writes of the early-warning app; `services.x(...)` keeps working.

Every public service that writes is `@transaction.atomic` and records its audit event in the
same transaction. Each that acts for a person takes `actor=` and checks
`ctip.warning.policies` itself, so the pages, the API and the commands get the same answer.
"""

from ctip.warning.services.assessing import (
    alert_acknowledge,
    assessment_exported,
    assessment_record,
    clean_scores,
    evidence_view,
    latest_scores,
    watch_add,
    watch_remove,
)
from ctip.warning.services.computing import Result, compute, evaluate, raise_alerts
from ctip.warning.services.sharing import assessment_share, assessment_unshare

__all__ = [
    "Result",
    "alert_acknowledge",
    "assessment_exported",
    "assessment_record",
    "assessment_share",
    "assessment_unshare",
    "clean_scores",
    "compute",
    "evaluate",
    "evidence_view",
    "latest_scores",
    "raise_alerts",
    "watch_add",
    "watch_remove",
]
