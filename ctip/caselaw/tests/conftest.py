import datetime

import pytest

from ctip.caselaw import services
from ctip.caselaw.demo import DECISIONS
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


@pytest.fixture
def published(actors):
    """The demo decisions, published by the actors' entity."""
    created, errors = services.decisions_import(
        actor=None, entity=actors.entity, rows=DECISIONS, publish=True
    )
    assert not errors and created == len(DECISIONS)
    return actors
