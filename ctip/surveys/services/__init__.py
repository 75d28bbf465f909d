"""Writes of the surveys app; each is atomic, takes `actor=`, checks the policies, and
records its audit event in the same transaction."""

from ctip.surveys.services.definitions import dtm_indicators, indicator_save, survey_save
from ctip.surveys.services.publishing import estimates_exported, release_rows, survey_publish
from ctip.surveys.services.responses import MAX_RESPONSE_ROWS, ImportReport, responses_import

__all__ = [
    "MAX_RESPONSE_ROWS",
    "ImportReport",
    "dtm_indicators",
    "estimates_exported",
    "indicator_save",
    "release_rows",
    "responses_import",
    "survey_publish",
    "survey_save",
]
