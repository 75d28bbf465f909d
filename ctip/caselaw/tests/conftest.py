import datetime

import pytest

from ctip.core.models import ConflictSituation

CONFLICTS = (
    "Conflict with ISIL (Da'esh) in Iraq",
    "Armed conflict in the Central African Republic",
)


@pytest.fixture(autouse=True)
def caselaw_reference(reference_data):
    """Countries and the conflict situations the demo decisions name."""
    for name in CONFLICTS:
        ConflictSituation.objects.get_or_create(
            name=name, defaults={"start_date": datetime.date(2012, 1, 1)}
        )
