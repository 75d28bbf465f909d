"""A freshly migrated database is usable: `ctip migrate` loads the shipped reference data.

Countries and M49 regions are part of the installation, like the schema: without them an import
or a page that names a country fails. So after `migrate`, when the database holds fewer of them
than the shipped tables, they are loaded (idempotent; two counts when present). This is the
installation itself, like a data migration, so it writes no audit event: `ctip
load_reference_data`, run by an operator to refresh the tables, is audited. A flush (tests that
empty the database and build their own data) emits the same signal without a plan: skipped.
"""

from __future__ import annotations

import csv
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS


@cache
def _shipped() -> tuple[int, int]:
    from ctip.core.reference import DATA_DIR

    def rows(name: str) -> int:
        with open(DATA_DIR / name, encoding="utf-8") as handle:
            return sum(1 for _row in csv.DictReader(handle))

    return rows("m49_countries.csv"), rows("m49_regions.csv")


def reference_data_missing() -> bool:
    from ctip.core.models import Country, Region

    countries, regions = _shipped()
    return Country.objects.count() < countries or Region.objects.count() < regions


def load_reference_data_after_migrate(
    *, using: str = DEFAULT_DB_ALIAS, plan: Any = None, verbosity: int = 1, **kwargs: Any
) -> None:
    """post_migrate receiver (connected once, for the core app)."""
    if plan is None or using != DEFAULT_DB_ALIAS or not reference_data_missing():
        return
    from ctip.core.reference import load_reference_data

    counts = load_reference_data()
    stdout = kwargs.get("stdout")
    if verbosity and stdout is not None:
        stdout.write(
            f"  Loaded the reference data: {counts['countries']} countries, "
            f"{counts['regions']} regions."
        )
