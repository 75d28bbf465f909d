"""The legal officers' list of national response entries finds, filters, sorts, pages and
exports the entity's entries, never another entity's."""

import csv
import dataclasses
import io

import pytest
from django.test import Client

from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import INJECTION, found_in_list, signed_in_client
from ctip.countries import lists, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


def _page(client: Client, **params: str) -> str:
    answer = client.get("/legislation/", params)
    assert answer.status_code == 200
    return answer.content.decode()


def _row(entry) -> str:
    return f'data-response="{entry.pk}"'


def _save(actor, country: str, year: str, criminalization: str = "full"):
    return services.response_save(
        actor=actor,
        raw={"country": country, "year": year, "criminalization": criminalization},
    )


def test_the_entries_are_found_filtered_sorted_paged_and_exported(actors, monkeypatch):
    officer = actors.by_role[Role.LEGAL_OFFICER]
    iraq = _save(officer, "IRQ", "2024")
    iraq_before = _save(officer, "IRQ", "2020", "partial")
    nigeria = _save(officer, "NGA", "2024")
    client = signed_in_client(officer)
    page = _page(client, q="Nigeria")
    assert found_in_list(page) == "1" and _row(nigeria) in page and _row(iraq) not in page
    assert found_in_list(_page(client, q="IRQ")) == "2"
    assert found_in_list(_page(client, criminalization="partial")) == "1"
    assert found_in_list(_page(client, year="2024", country="IRQ")) == "1"
    page = _page(client, sort="year")
    assert page.index(_row(iraq_before)) < page.index(_row(iraq))
    monkeypatch.setattr(lists, "RESPONSES", dataclasses.replace(lists.RESPONSES, per_page=2))
    page = _page(client, page="2")
    assert "Page 2 of 2" in page and _row(nigeria) in page
    answer = client.get("/legislation/", {"year": "2024", "export": "csv"})
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == ["Country", "Year", "Criminalization", "Updated"]
    assert [r[:2] for r in rows[1:]] == [["Iraq", "2024"], ["Nigeria", "2024"]]
    event = AuditEvent.objects.get(action="export.created")
    assert event.details["list"] == "national-responses"


def test_another_entity_finds_none_and_a_search_is_only_text(actors):
    entry = _save(actors.by_role[Role.LEGAL_OFFICER], "IRQ", "2024")
    other = signed_in_client(actors.other_by_role[Role.LEGAL_OFFICER])
    page = _page(other, q="Iraq")
    assert found_in_list(page) == "0" and _row(entry) not in page
    assert len(other.get("/legislation/", {"export": "csv"}).content.decode().splitlines()) == 1
    assert signed_in_client(actors.by_role[Role.MONITOR]).get("/legislation/").status_code == 403
    page = _page(other, q=INJECTION, year="2024; DROP TABLE")
    assert found_in_list(page) == "0" and "<script>alert(1)" not in page
