"""The legal officers' list of court decisions finds, filters, sorts, pages and exports the
entity's decisions, drafts included, and none of another entity's drafts."""

import csv
import dataclasses
import io

import pytest
from django.test import Client

from ctip.caselaw import lists, services
from ctip.caselaw.demo import DECISIONS
from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import INJECTION, found_in_list, make_user, signed_in_client

pytestmark = pytest.mark.django_db


def _page(client: Client, **params: str) -> str:
    answer = client.get("/caselaw/", params)
    assert answer.status_code == 200
    return answer.content.decode()


def _row(decision) -> str:
    return f'data-decision="{decision.pk}"'


@pytest.fixture
def decisions(actors):
    """Three decisions of the entity (Nigeria 2023, Iraq 2021, UK 2018), the first published."""
    author = actors.by_role[Role.LEGAL_OFFICER]
    saved = [services.decision_save(actor=author, raw=DECISIONS[n]) for n in (2, 1, 6)]
    reviewer = make_user(actors.entity, Role.LEGAL_OFFICER)
    services.decision_publish(actor=reviewer, decision=saved[0])
    return saved


def test_the_decisions_list_finds_filters_sorts_pages_and_exports(actors, decisions, monkeypatch):
    nigeria, iraq, appeal = decisions
    client = signed_in_client(actors.by_role[Role.LEGAL_OFFICER])
    # search: a title, a country
    page = _page(client, q="fictitious appeal")
    assert found_in_list(page) == "1" and _row(appeal) in page and _row(nigeria) not in page
    assert _row(iraq) in _page(client, q="Iraq")
    # filters, and the home page's status link
    page = _page(client, status="draft")
    assert found_in_list(page) == "2" and _row(nigeria) not in page
    assert found_in_list(_page(client, country="NGA", year="2023", verdict="convicted")) == "1"
    assert found_in_list(_page(client, year="2019")) == "0"
    # sort
    page = _page(client, sort="decision_date")
    assert page.index(_row(appeal)) < page.index(_row(iraq)) < page.index(_row(nigeria))
    # pages
    monkeypatch.setattr(lists, "DECISIONS", dataclasses.replace(lists.DECISIONS, per_page=2))
    page = _page(client, sort="decision_date", page="2")
    assert "Page 2 of 2" in page and _row(nigeria) in page
    # the export: the shown columns, audited; no summary of the facts
    answer = client.get("/caselaw/", {"status": "draft", "export": "csv"})
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == ["Decision", "Jurisdiction", "Date", "Status", "Version"]
    assert sorted(r[0] for r in rows[1:]) == sorted([iraq.title, appeal.title])
    assert iraq.fact_summary[:30] not in answer.content.decode()
    event = AuditEvent.objects.get(action="export.created")
    assert event.details["list"] == "court-decisions" and event.details["filters"] == {
        "status": "draft"
    }


def test_another_entity_finds_none_of_the_drafts(actors, decisions):
    other = signed_in_client(actors.other_by_role[Role.LEGAL_OFFICER])
    page = _page(other, q="fictitious")
    assert found_in_list(page) == "0" and not any(_row(d) in page for d in decisions)
    export = other.get("/caselaw/", {"export": "csv"}).content.decode()
    assert not any(d.title in export for d in decisions)
    assert signed_in_client(actors.by_role[Role.CASEWORKER]).get("/caselaw/").status_code == 403
    page = _page(other, q=INJECTION, sort="title; --")
    assert found_in_list(page) == "0" and "<script>alert(1)" not in page
