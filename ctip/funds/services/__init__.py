"""Writes of the trust funds app. Every public service that writes is `@transaction.atomic`
and records its audit event in the same transaction, and checks `ctip.funds.policies`
itself (or, for the command line, runs as the operator named in the audit log)."""

from ctip.funds.services.assistance import funded_case, sea_grants, sea_providers
from ctip.funds.services.grants import (
    COLUMNS,
    MAX_GRANT_ROWS,
    GrantsReport,
    export_rows,
    fund_save,
    grant_save,
    grant_values,
    grants_exported,
    grants_import,
)
from ctip.funds.services.payments import disbursement_record, instalment_add
from ctip.funds.services.reports import (
    PARTS,
    assisted_per_year,
    clean_figures,
    report_from_cases,
    report_reminders,
    report_submit,
    reports_due,
    reports_for_grantee,
    schedule_reports,
)
from ctip.funds.services.selection import (
    call_save,
    proposal_decide,
    proposal_review,
    proposal_save,
)

__all__ = [
    "COLUMNS",
    "MAX_GRANT_ROWS",
    "PARTS",
    "GrantsReport",
    "assisted_per_year",
    "call_save",
    "clean_figures",
    "disbursement_record",
    "export_rows",
    "fund_save",
    "funded_case",
    "grant_save",
    "grant_values",
    "grants_exported",
    "grants_import",
    "instalment_add",
    "proposal_decide",
    "proposal_review",
    "proposal_save",
    "report_from_cases",
    "report_reminders",
    "report_submit",
    "reports_due",
    "reports_for_grantee",
    "schedule_reports",
    "sea_grants",
    "sea_providers",
]
