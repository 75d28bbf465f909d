import pytest

from ctip.core.codes import Role
from ctip.core.testing import make_user
from ctip.surveys import services


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


@pytest.fixture
def analyst(actors):
    return actors.by_role[Role.ANALYST]


@pytest.fixture
def survey(analyst):
    return services.survey_save(
        actor=analyst,
        entity=analyst.entity,
        raw={
            "code": "fms-test",
            "title": "Test survey",
            "indicators": ["unpaid_work", "forced_work", "family_forced_work"],
            "breakdowns": ["route", "nationality", "sex", "country_of_interview", "wave"],
            "min_n": "3",
        },
    )


@pytest.fixture
def focal(actors):
    return actors.by_role[Role.FOCAL_POINT]


@pytest.fixture
def other_analyst(actors):
    return actors.other_by_role[Role.ANALYST]


__all__ = ["make_user"]
