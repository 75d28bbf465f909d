from datetime import date

import pytest

from ctip.core.codes import Role
from ctip.core.testing import make_entity, make_user
from ctip.statistics.services import round_open


@pytest.fixture
def round_2025(reference_data):
    return round_open(actor=None, year=2025, deadline=date(2026, 6, 30))


@pytest.fixture
def draft(actors, round_2025):
    """A draft submission of the own entity's focal point (builders.a_draft)."""
    from ctip.statistics.tests.builders import a_draft  # builders reads this module

    return a_draft(actors, round_2025)


@pytest.fixture
def submitted(actors, round_2025):
    from ctip.statistics.tests.builders import a_submitted

    return a_submitted(actors, round_2025)


@pytest.fixture
def mission(db):
    entity = make_entity("MINUSCA")
    return {
        "entity": entity,
        "focal_point": make_user(entity, Role.FOCAL_POINT),
        "caseworker": make_user(entity, Role.CASEWORKER),
    }


@pytest.fixture
def analyst(db):
    return make_user(make_entity("CTIP"), Role.ANALYST)


def ctip_csv(rows: list[dict], header: list[str] | None = None) -> bytes:
    from ctip.statistics.layouts import CTIP_COLUMNS

    header = header or CTIP_COLUMNS
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(str(row.get(column, "")) for column in header))
    return ("\n".join(lines) + "\n").encode()
