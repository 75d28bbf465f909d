"""The register of incidents finds, filters, sorts, pages and exports the entity's incidents,
and never a narrative or a source."""

import csv
import dataclasses
import io

import pytest
from django.test import Client

from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import INJECTION, found_in_list, signed_in_client
from ctip.incidents import lists, services
from ctip.incidents.tests.builders import SECRETS, record

pytestmark = pytest.mark.django_db


def _page(client: Client, **params: str) -> str:
    answer = client.get("/incidents/", params)
    assert answer.status_code == 200
    return answer.content.decode()


def _row(incident) -> str:
    return f'data-reference="{incident.reference}"'


def test_the_register_finds_filters_sorts_pages_and_exports(monitor, situation, party, monkeypatch):
    # given three incidents: one in Chad in 2024, one of recruitment under verification
    first = record(monitor, situation)
    chad = record(monitor, situation, country="TCD", admin1="Salamat", date="2024-02-01")
    recruited = record(
        monitor, situation, violations=["recruitment_use"], date="2025-07-01", party=""
    )
    services.verification_start(actor=monitor, incident=recruited)
    client = signed_in_client(monitor)
    # search: a reference, an area, a perpetrator
    page = _page(client, q=chad.reference)
    assert found_in_list(page) == "1" and _row(chad) in page and _row(first) not in page
    assert found_in_list(_page(client, q="salamat")) == "1"
    assert found_in_list(_page(client, q="Group A")) == "2"
    # filters; the home page's link to what waits for verification
    page = _page(client, status="under_verification")
    assert found_in_list(page) == "1" and _row(recruited) in page
    assert found_in_list(_page(client, violation="recruitment_use")) == "1"
    assert found_in_list(_page(client, country="TCD")) == "1"
    assert found_in_list(_page(client, year="2025", situation=str(situation.pk))) == "2"
    # sort
    page = _page(client, sort="date")
    assert page.index(_row(chad)) < page.index(_row(first)) < page.index(_row(recruited))
    # pages
    monkeypatch.setattr(lists, "INCIDENTS", dataclasses.replace(lists.INCIDENTS, per_page=2))
    page = _page(client, sort="date", page="2")
    assert "Page 2 of 2" in page and _row(recruited) in page
    # the export: the shown columns, every page; audited; no narrative, no source
    answer = client.get("/incidents/", {"year": "2025", "export": "csv"})
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Reference",
        "Date",
        "Situation",
        "Area",
        "Country",
        "Perpetrator",
        "Victims",
        "Status",
    ]
    assert sorted(r[0] for r in rows[1:]) == sorted([first.reference, recruited.reference])
    assert not any(secret in answer.content.decode() for secret in SECRETS)
    event = AuditEvent.objects.get(action="export.created")
    assert event.details["list"] == "incidents" and event.details["filters"] == {"year": "2025"}


def test_another_entity_finds_none_and_a_search_is_only_text(actors, monitor, situation, party):
    incident = record(monitor, situation)
    other = signed_in_client(actors.other_by_role[Role.MONITOR])
    page = _page(other, q=incident.reference)
    assert found_in_list(page) == "0" and _row(incident) not in page
    assert incident.reference not in other.get("/incidents/", {"export": "csv"}).content.decode()
    caseworker = signed_in_client(actors.by_role[Role.CASEWORKER])
    assert caseworker.get("/incidents/", {"export": "csv"}).status_code == 403
    page = _page(signed_in_client(monitor), q=INJECTION, status="x'--", situation="1 OR 1")
    assert found_in_list(page) == "0" and "<script>alert(1)" not in page
