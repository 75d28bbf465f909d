import datetime

import pytest

from ctip.core import services as core
from ctip.core.codes import Role
from ctip.core.models import Country
from ctip.core.testing import make_user
from ctip.incidents import services


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


@pytest.fixture
def situation(db):
    return core.conflict_situation_save(
        actor=None,
        name="Test conflict",
        countries=list(Country.objects.filter(alpha3__in=["CAF", "TCD"])),
        start_date=datetime.date(2013, 1, 1),
    )


@pytest.fixture
def monitor(actors):
    return actors.by_role[Role.MONITOR]


@pytest.fixture
def second_monitor(actors):
    return make_user(actors.entity, Role.MONITOR)


@pytest.fixture
def party(monitor, situation):
    return services.party_save(
        actor=monitor,
        raw={
            "situation": situation.pk,
            "name": "Group A",
            "kind": "non_state_armed_group",
            "aliases": "AGA;Alpha",
        },
    )
