"""Every write of the case law app commits with its audit event or not at all."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Model

from ctip.caselaw import search, services
from ctip.caselaw.demo import DECISIONS
from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import make_user

pytestmark = pytest.mark.django_db


def database_state() -> dict[str, list]:
    """Every row of the case law app, its search index and the audit log."""
    models: list[type[Model]] = [*apps.get_app_config("caselaw").get_models(), AuditEvent]
    state = {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid, search_text FROM {search.FTS_TABLE} ORDER BY rowid")  # noqa: S608
            state["index"] = cursor.fetchall()
    return state


def decision_save_new(actors):
    officer = actors.by_role[Role.LEGAL_OFFICER]
    return lambda: services.decision_save(actor=officer, raw=DECISIONS[0])


def decision_save_version(actors):
    officer = actors.by_role[Role.LEGAL_OFFICER]
    draft = services.decision_save(actor=officer, raw=DECISIONS[0])
    raw = {**DECISIONS[0], "title": "A corrected title"}
    return lambda: services.decision_save(actor=officer, raw=raw, decision=draft)


def decision_publish(actors):
    draft = services.decision_save(actor=actors.by_role[Role.LEGAL_OFFICER], raw=DECISIONS[0])
    reviewer = make_user(actors.entity, Role.LEGAL_OFFICER)
    return lambda: services.decision_publish(actor=reviewer, decision=draft)


def decisions_import(actors):
    return lambda: services.decisions_import(
        actor=None, entity=actors.entity, rows=DECISIONS[:3], publish=True
    )


@pytest.mark.parametrize(
    "given",
    [decision_save_new, decision_save_version, decision_publish, decisions_import],
    ids=lambda f: f.__name__,
)
def test_a_write_and_its_audit_event_commit_together_or_not_at_all(given, actors, request):
    # given
    attempt = given(actors)
    before = database_state()
    # when: the audit event cannot be written
    audit_failed = request.getfixturevalue("audit_fails")
    with pytest.raises(audit_failed):
        attempt()
    # then
    assert database_state() == before
