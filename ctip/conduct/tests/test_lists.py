"""The register of allegations finds, filters, sorts, pages and exports what the officer may
see, and never an identity or the account of what happened."""

import csv
import dataclasses
import io

import pytest
from django.test import Client

from ctip.conduct import lists
from ctip.conduct.tests.builders import SECRETS, record
from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import INJECTION, found_in_list, signed_in_client

pytestmark = pytest.mark.django_db


def _page(client: Client, **params: str) -> str:
    answer = client.get("/conduct/", params)
    assert answer.status_code == 200
    return answer.content.decode()


def _row(allegation) -> str:
    return f'data-reference="{allegation.reference}"'


def test_the_register_finds_filters_sorts_pages_and_exports(officer, monkeypatch):
    # given three allegations: one of abuse, one from Nepal's contingent, reported later
    first = record(officer)
    abuse = record(officer, category="sexual_abuse", reported_on="2026-03-10")
    nepal = record(officer, contingent_country="NPL", unit="Company 7", reported_on="2026-03-20")
    client = signed_in_client(officer)
    # search: a reference, a unit, a country
    page = _page(client, q=abuse.reference)
    assert found_in_list(page) == "1" and _row(abuse) in page and _row(first) not in page
    assert found_in_list(_page(client, q="company 7")) == "1"
    assert _row(nepal) in _page(client, q="Nepal")
    # filters narrow, and the home page's status link works
    page = _page(client, category="sexual_abuse")
    assert found_in_list(page) == "1" and _row(abuse) in page
    assert found_in_list(_page(client, country="NPL", year="2026")) == "1"
    assert found_in_list(_page(client, status="received")) == "3"
    assert found_in_list(_page(client, status="under_investigation")) == "0"
    # sort
    page = _page(client, sort="reported_on")
    assert page.index(_row(first)) < page.index(_row(abuse)) < page.index(_row(nepal))
    page = _page(client, sort="-reported_on")
    assert page.index(_row(nepal)) < page.index(_row(first))
    # pages
    monkeypatch.setattr(lists, "ALLEGATIONS", dataclasses.replace(lists.ALLEGATIONS, per_page=2))
    assert "Page 1 of 2" in _page(client)
    page = _page(client, sort="reported_on", page="2")
    assert "Page 2 of 2" in page and _row(nepal) in page and _row(first) not in page
    # the export: the shown columns, every page, audited; no identity
    answer = client.get("/conduct/", {"category": "sexual_exploitation", "export": "csv"})
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Reference",
        "Reported",
        "Category",
        "Personnel",
        "Contingent's nationality",
        "Status",
        "Investigation due",
    ]
    assert sorted(r[0] for r in rows[1:]) == sorted([first.reference, nepal.reference])
    assert not any(secret in answer.content.decode() for secret in SECRETS)
    event = AuditEvent.objects.get(action="export.created")
    assert event.details["list"] == "allegations"
    assert event.details["filters"] == {"category": "sexual_exploitation"}


def test_another_entitys_officer_finds_none_and_a_search_is_only_text(actors, officer):
    allegation = record(officer)
    other = signed_in_client(actors.other_by_role[Role.CONDUCT_OFFICER])
    page = _page(other, q=allegation.reference)
    assert found_in_list(page) == "0" and _row(allegation) not in page
    answer = other.get("/conduct/", {"export": "csv"})
    assert allegation.reference not in answer.content.decode()
    caseworker = signed_in_client(actors.by_role[Role.CASEWORKER])
    assert caseworker.get("/conduct/", {"export": "csv"}).status_code == 403
    page = _page(signed_in_client(officer), q=INJECTION, sort="x", page="-1")
    assert found_in_list(page) == "0" and "<script>alert(1)" not in page
