"""The permission matrix: every page and API route, with who may use it (see `entries`)."""

from __future__ import annotations

from tests.security.entries import OBJECT, SHARED, Entry
from tests.security.matrix_api import API
from tests.security.matrix_funds import (
    FUNDS,
    FUNDS_API,
    PAYMENTS_API,
    SELECTION,
    SELECTION_API,
)
from tests.security.matrix_incidents import INCIDENTS, INCIDENTS_API
from tests.security.matrix_pages import CASES, CONDUCT_PAGES, CORE
from tests.security.matrix_reporting import CASELAW, COUNTRIES, STATISTICS
from tests.security.matrix_reports import REPORTS
from tests.security.matrix_suppliers import SUPPLIERS, SUPPLIERS_API
from tests.security.matrix_surveys import SURVEYS, SURVEYS_API
from tests.security.matrix_warning import WARNING, WARNING_API

MATRIX: list[Entry] = [
    *CORE,
    *CASES,
    *STATISTICS,
    *CASELAW,
    *COUNTRIES,
    *CONDUCT_PAGES,
    *INCIDENTS,
    *SURVEYS,
    *WARNING,
    *FUNDS,
    *SELECTION,
    *SUPPLIERS,
    *REPORTS,
    *API,
    *INCIDENTS_API,
    *SURVEYS_API,
    *WARNING_API,
    *FUNDS_API,
    *SELECTION_API,
    *PAYMENTS_API,
    *SUPPLIERS_API,
]

__all__ = ["MATRIX", "OBJECT", "SHARED", "Entry"]
