"""Writes of the trust funds app. Every public service that writes is `@transaction.atomic`
and records its audit event in the same transaction, and checks `ctip.funds.policies`
itself (or, for the command line, runs as the operator named in the audit log)."""

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

__all__ = [
    "COLUMNS",
    "MAX_GRANT_ROWS",
    "GrantsReport",
    "export_rows",
    "fund_save",
    "grant_save",
    "grant_values",
    "grants_exported",
    "grants_import",
]
