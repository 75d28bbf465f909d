"""Every write of the surveys app commits with its audit event or not at all."""

import pytest
from django.apps import apps

from ctip.surveys import services
from ctip.surveys.tests.test_surveys import rows_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(analyst, survey):
    services.responses_import(
        survey=survey, rows=rows_of("surveys/responses.csv")[:4], actor=analyst
    )
    return {"analyst": analyst, "survey": survey}


WRITES = {
    "indicator_save": lambda w: services.indicator_save(
        actor=w["analyst"], raw={"code": "debt", "question": "Do you owe a debt?"}
    ),
    "survey_save": lambda w: services.survey_save(
        actor=w["analyst"],
        entity=w["analyst"].entity,
        raw={"code": "s2", "indicators": ["forced_work"]},
    ),
    "responses_import": lambda w: services.responses_import(
        survey=w["survey"], rows=rows_of("surveys/responses.csv"), actor=w["analyst"]
    ),
    "survey_publish": lambda w: services.survey_publish(actor=w["analyst"], survey=w["survey"]),
    "estimates_exported": lambda w: services.estimates_exported(
        actor=w["analyst"], survey=w["survey"], by="", rows=3
    ),
}


def test_every_public_service_that_writes_is_in_the_list():
    public = {n for n in services.__all__ if n.islower() and callable(getattr(services, n))}
    assert public - {"dtm_indicators", "release_rows"} == set(WRITES)


def database_state() -> dict[str, list[dict]]:
    models = apps.get_app_config("surveys").get_models()
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_and_its_audit_event_commit_together_or_not_at_all(name, world, audit_fails):
    before = database_state()
    with pytest.raises(audit_fails):
        WRITES[name](world)
    assert database_state() == before
