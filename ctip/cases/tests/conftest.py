import pytest

from ctip.core.codes import Role


@pytest.fixture
def worker(actors):
    """The own entity's caseworker."""
    return actors.by_role[Role.CASEWORKER]


@pytest.fixture
def focal(actors):
    """The own entity's focal point."""
    return actors.by_role[Role.FOCAL_POINT]
