"""Every write of the statistics app commits with its audit event or not at all."""

from datetime import date

import pytest
from django.apps import apps
from django.db.models import Model

from ctip.core.models import AuditEvent, Country, Notification
from ctip.statistics import duplicates, expectations, importing, services
from ctip.statistics.codes import RoundState
from ctip.statistics.importing import import_file
from ctip.statistics.models import DuplicateCluster
from ctip.statistics.tests.conftest import ctip_csv

pytestmark = pytest.mark.django_db
ROW = {"year_of_identification": 2025, "country_of_detection": "IRQ"}


def database_state() -> dict[str, list[dict]]:
    """Every row of the statistics app, the audit log and notifications."""
    models: list[type[Model]] = [
        *apps.get_app_config("statistics").get_models(),
        AuditEvent,
        Notification,
    ]
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


def _draft(mission, round_):
    result = import_file(
        actor=mission["focal_point"],
        entity=mission["entity"],
        round_=round_,
        data=ctip_csv([{**ROW, "sex": "F"}] * 8),
        filename="f.csv",
    )
    assert result.ok, result.as_dict()
    return round_.submissions.get()


def _submitted(mission, round_):
    submission = _draft(mission, round_)
    return services.submission_submit(actor=mission["focal_point"], submission=submission)


def _validated(mission, round_, analyst):
    return services.submission_validate(actor=analyst, submission=_submitted(mission, round_))


def _cluster(round_):
    return DuplicateCluster.objects.create(round=round_, match_probability=0.95)


def _expected(round_, mission, analyst):
    return expectations.expected_add(
        actor=analyst,
        round_=round_,
        entity=mission["entity"],
        country=Country.objects.get(pk="IRQ"),
    )


# Each case: given the state it needs (made while the audit log works), the write to attempt.
def round_open(m, r, a):
    return lambda: services.round_open(actor=a, year=2024, deadline=date(2025, 6, 30))


def submission_start(m, r, a):
    syria = Country.objects.get(pk="SYR")
    return lambda: services.submission_start(actor=m["focal_point"], round_=r, country=syria)


def cell_set(m, r, a):
    s = _draft(m, r)
    cell = {"indicator": "Detected trafficking victims", "sex": "_T", "age": "_T"}
    return lambda: services.cell_set(
        actor=m["focal_point"], submission=s, dimension="Total", category="Total", raw="3", **cell
    )


def warning_explain(m, r, a):
    s = _draft(m, r)
    return lambda: services.warning_explain(
        actor=m["focal_point"], submission=s, rule="trend", cell="x", comment="Known."
    )


def submission_submit(m, r, a):
    s = _draft(m, r)
    return lambda: services.submission_submit(actor=m["focal_point"], submission=s)


def submission_return(m, r, a):
    s = _submitted(m, r)
    return lambda: services.submission_return(actor=a, submission=s, comment="Check.")


def submission_validate(m, r, a):
    s = _submitted(m, r)
    return lambda: services.submission_validate(actor=a, submission=s)


def round_publish(m, r, a):
    _validated(m, r, a)
    return lambda: services.round_publish(actor=a, round_=r)


def dedup_run(m, r, a):
    _cluster(r)  # a proposed cluster, which a new run replaces
    return lambda: duplicates.dedup_run(actor=a, round_=r)


def dedup_decide(m, r, a):
    c = _cluster(r)
    return lambda: duplicates.dedup_decide(actor=a, cluster=c, same_person=True)


def expected_add(m, r, a):
    return lambda: _expected(r, m, a)


def expected_remove(m, r, a):
    e = _expected(r, m, a)
    return lambda: expectations.expected_remove(actor=a, expected=e)


def expected_propose(m, r, a):
    return lambda: expectations.expected_propose(actor=a, round_=r)


def round_set_state(m, r, a):
    return lambda: services.round_set_state(actor=a, round_=r, state=RoundState.CLOSED)


def dedup_undo(m, r, a):
    c = _cluster(r)
    duplicates.dedup_decide(actor=a, cluster=c, same_person=True)
    return lambda: duplicates.dedup_undo(actor=a, cluster=c)


def records_delete(m, r, a):
    s = _draft(m, r)
    return lambda: importing.records_delete(actor=m["focal_point"], submission=s)


def record_save(m, r, a):
    return lambda: services.record_save(
        actor=m["focal_point"],
        round_=r,
        country=Country.objects.get(pk="IRQ"),
        record_uuid="6f1c1f8e-7a43-4d1c-9a53-0d6f5b8b2a10",
        values={"year_of_identification": 2025, "sex": "F"},
    )


def import_records(m, r, a):
    data = ctip_csv([ROW] * 3)
    return lambda: import_file(
        actor=m["focal_point"], entity=m["entity"], round_=r, data=data, filename="f.csv"
    )


WRITES = [
    round_open,
    submission_start,
    cell_set,
    warning_explain,
    submission_submit,
    submission_return,
    submission_validate,
    round_publish,
    dedup_run,
    dedup_decide,
    expected_add,
    expected_remove,
    expected_propose,
    record_save,
    import_records,
    round_set_state,
    dedup_undo,
    records_delete,
]


@pytest.mark.parametrize("given", WRITES, ids=lambda f: f.__name__)
def test_a_write_and_its_audit_event_commit_together_or_not_at_all(
    given, mission, round_2025, analyst, request
):
    # given
    attempt = given(mission, round_2025, analyst)
    before = database_state()
    # when: the audit event cannot be written
    audit_failed = request.getfixturevalue("audit_fails")
    with pytest.raises(audit_failed):
        attempt()
    # then: nothing the write did is left
    assert database_state() == before
