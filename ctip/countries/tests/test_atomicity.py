"""Every write of the countries app commits with its audit event or not at all."""

import pytest
from django.apps import apps
from django.db.models import Model

from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.countries import services

pytestmark = pytest.mark.django_db
CONSENT = "Ratification, Accession(a), Succession(d)"


@pytest.fixture(autouse=True)
def countries_reference(reference_data):
    pass


def database_state() -> dict[str, list]:
    models: list[type[Model]] = [*apps.get_app_config("countries").get_models(), AuditEvent]
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


def response(country="IRQ", year="2024", **values):
    return {"country": country, "year": year, "criminalization": "full", **values}


def treaty_status_import(actors):
    rows = [(2, {"Participant": "Iraq", "Signature": "", CONSENT: "9 Feb 2009 a"})]
    before = [(2, {"Participant": "Nigeria", "Signature": "", CONSENT: "28 Jun 2001"})]
    services.treaty_status_import(actor=None, instrument="UNTOC-TIP", rows=before, source="old")
    return lambda: services.treaty_status_import(
        actor=actors.by_role[Role.LEGAL_OFFICER], instrument="UNTOC-TIP", rows=rows, source="UNTC"
    )


def response_save_new(actors):
    officer = actors.by_role[Role.LEGAL_OFFICER]
    return lambda: services.response_save(actor=officer, raw=response())


def response_save_correction(actors):
    officer = actors.by_role[Role.LEGAL_OFFICER]
    saved = services.response_save(actor=officer, raw=response())
    raw = response(notes="corrected")
    return lambda: services.response_save(actor=officer, raw=raw, response=saved)


def responses_import(actors):
    officer = actors.by_role[Role.LEGAL_OFFICER]
    services.response_save(actor=officer, raw=response())
    rows = [(2, response(notes="corrected")), (3, response("SYR"))]
    return lambda: services.responses_import(actor=officer, rows=rows)


@pytest.mark.parametrize(
    "given",
    [treaty_status_import, response_save_new, response_save_correction, responses_import],
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
