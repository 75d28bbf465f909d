import pytest

from ctip.core.codes import Role


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


@pytest.fixture
def officer(actors):
    return actors.by_role[Role.CONDUCT_OFFICER]
