"""The lists of the case pages find, filter, sort, page and export what the user may see, and
nothing else: never another entity's rows, never an identity or a tip's text."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from ctip.cases import lists, services
from ctip.cases.models import Case
from ctip.cases.tests.builders import CASE, SCREENING, a_case
from ctip.core.codes import EntityKind, Role
from ctip.core.models import AuditEvent
from ctip.core.testing import INJECTION, found_in_list, make_entity, make_user, signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


def _page(client: Client, url: str, **params: str) -> str:
    answer = client.get(url, params)
    assert answer.status_code == 200
    return answer.content.decode()


def _csv(client: Client, url: str, **params: str) -> list[list[str]]:
    answer = client.get(url, {**params, "export": "csv"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def _smaller(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Pages of two rows, so that a few rows make a second page."""
    monkeypatch.setattr(lists, name, dataclasses.replace(getattr(lists, name), per_page=2))


# --- cases ------------------------------------------------------------------------------------


def test_the_cases_list_finds_filters_sorts_pages_and_exports(actors, worker, monkeypatch):
    # given three cases, one closed, one of a man from Iraq in forced labour
    first = a_case(worker)
    second = a_case(
        worker,
        names="B. K.",
        sex="M",
        age_band="24--26",
        citizenship="IRQ",
        forms_of_exploitation=["ForcedLabour"],
    )
    third = a_case(worker, names="C. D.")
    services.case_set_status(actor=actors.by_role[Role.FOCAL_POINT], case=third, status="closed")
    client = signed_in_client(worker)
    # when searched by a reference, then that case alone
    page = _page(client, "/cases/", q=second.reference)
    assert found_in_list(page) == "1" and second.reference in page and first.reference not in page
    # a search by country name finds it too
    assert second.reference in _page(client, "/cases/", q="Iraq")
    # filters narrow
    page = _page(client, "/cases/", status="closed")
    assert found_in_list(page) == "1" and third.reference in page
    page = _page(client, "/cases/", form="ForcedLabour", citizenship="IRQ", sex="M")
    assert found_in_list(page) == "1" and second.reference in page
    this_year = str(timezone.localdate().year)
    assert found_in_list(_page(client, "/cases/", year=this_year)) == "3"
    # sorting orders
    page = _page(client, "/cases/", sort="-reference")
    assert page.index(third.reference) < page.index(first.reference)
    page = _page(client, "/cases/", sort="reference")
    assert page.index(first.reference) < page.index(third.reference)
    # a second page when there are more rows than a page holds
    _smaller(monkeypatch, "CASES")
    page = _page(client, "/cases/", sort="reference")
    assert "Page 1 of 2" in page and third.reference not in page
    page = _page(client, "/cases/", sort="reference", page="2")
    assert "Page 2 of 2" in page and third.reference in page
    # the export holds the shown columns, every page, and no identity; it is audited
    rows = _csv(client, "/cases/", status="active")
    assert rows[0] == [
        "Reference",
        "Opened",
        "Sex",
        "Age",
        "Citizenship",
        "Forms of exploitation",
        "Caseworker",
        "Status",
    ]
    assert sorted(r[0] for r in rows[1:]) == sorted([first.reference, second.reference])
    text = "\n".join(",".join(r) for r in rows)
    for secret in (CASE["names"], "B. K.", CASE["narrative"], CASE["date_of_birth"]):
        assert secret not in text
    event = AuditEvent.objects.get(action="export.created")
    assert event.details["list"] == "cases" and event.details["filters"] == {"status": "active"}
    assert event.actor_id == worker.pk


def test_follow_ups_due_and_my_cases_are_filters(actors, worker):
    # given a case with a follow-up due today, and one assigned to the caseworker
    focal = actors.by_role[Role.FOCAL_POINT]
    due = a_case(worker)
    services.follow_up_add(
        actor=worker, case=due, raw={"due_on": timezone.localdate().isoformat(), "what": "Call"}
    )
    later = a_case(worker, names="E. F.")
    services.follow_up_add(
        actor=worker,
        case=later,
        raw={
            "due_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "what": "X",
        },
    )
    mine = a_case(focal, names="G. H.", caseworker=str(worker.pk))
    nobodys = a_case(focal, names="I. J.")
    client = signed_in_client(worker)
    # when the home page's link is followed, then the case due only
    page = _page(client, "/cases/", follow_up="due")
    assert found_in_list(page) == "1" and due.reference in page and "Call" not in page
    # "assigned to me" gives the cases the caseworker was given
    page = _page(client, "/cases/", mine="1")
    assert mine.reference in page and nobodys.reference not in page
    # another value of either is ignored, never an error
    assert found_in_list(_page(client, "/cases/", follow_up="soon", mine="yes")) == "4"
    # the focal point has no follow-up due, and no case assigned
    focal_client = signed_in_client(focal)
    assert found_in_list(_page(focal_client, "/cases/", follow_up="due")) == "0"
    assert found_in_list(_page(focal_client, "/cases/", mine="1")) == "0"


def test_another_entity_never_finds_nor_exports_the_cases(actors, worker):
    case = a_case(worker)
    other = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    page = _page(other, "/cases/", q=case.reference)
    assert found_in_list(page) == "0" and f'data-reference="{case.reference}"' not in page
    assert len(_csv(other, "/cases/")) == 1  # the header alone
    for role in (Role.ANALYST, Role.ADMINISTRATOR, Role.MONITOR):
        answer = signed_in_client(actors.by_role[role]).get("/cases/", {"export": "csv"})
        assert answer.status_code == 403
    assert not AuditEvent.objects.filter(action="export.created", actor__role=Role.ANALYST)


def test_an_injection_in_the_search_is_only_text(worker):
    a_case(worker)
    client = signed_in_client(worker)
    for url in ("/cases/", "/cases/screenings/", "/cases/tips/", "/cases/referrals/"):
        answer = client.get(url, {"q": INJECTION, "sort": "pk; DROP TABLE", "page": "x"})
        assert answer.status_code == 200, url
        page = answer.content.decode()
        assert found_in_list(page) == "0" and "<script>alert(1)" not in page
    assert Case.objects.count() == 1


# --- screenings -------------------------------------------------------------------------------


def test_the_screenings_have_a_list_of_their_own(actors, worker, monkeypatch):
    # given three screenings, one at a border, one that opened a case
    services.screening_record(actor=worker, raw=SCREENING)
    services.screening_record(
        actor=worker, raw={**SCREENING, "screened_on": "2026-09-01", "setting": "border"}
    )
    opened = services.screening_record(
        actor=worker, raw={**SCREENING, "screened_on": "2026-08-01", "place": "Agadez"}
    )
    case = services.case_open(actor=worker, raw=CASE, screening=opened).case
    client = signed_in_client(worker)
    assert "/cases/screenings/" in _page(client, "/cases/")  # linked from the cases
    # search: by the case's reference, or the place
    page = _page(client, "/cases/screenings/", q=case.reference)
    assert found_in_list(page) == "1" and case.reference in page
    assert found_in_list(_page(client, "/cases/screenings/", q="agadez")) == "1"
    # filters
    assert found_in_list(_page(client, "/cases/screenings/", setting="border")) == "1"
    assert found_in_list(_page(client, "/cases/screenings/", setting="reception")) == "2"
    assert (
        found_in_list(_page(client, "/cases/screenings/", year="2026", outcome="not_a_victim"))
        == "0"
    )
    # sort, oldest first, and pages
    page = _page(client, "/cases/screenings/", sort="screened_on")
    assert page.index(case.reference) < page.index("Open a case")
    _smaller(monkeypatch, "SCREENINGS")
    assert 'rel="next"' in _page(client, "/cases/screenings/")
    assert "Page 2 of 2" in _page(client, "/cases/screenings/", page="2")
    # the export: the shown columns; audited
    rows = _csv(client, "/cases/screenings/", sort="screened_on")
    assert rows[0] == ["Date", "Setting", "Indicators", "Yes answers", "Outcome", "Case"]
    assert [r[0] for r in rows[1:]] == ["2026-08-01", "2026-09-01", "2026-10-02"]
    assert rows[1][5] == case.reference and SCREENING["reason"] not in str(rows)
    assert AuditEvent.objects.get(action="export.created").details["list"] == "screenings"
    # another entity's field staff see none of them
    other = signed_in_client(actors.other_by_role[Role.CASEWORKER])
    assert found_in_list(_page(other, "/cases/screenings/")) == "0"
    assert (
        signed_in_client(actors.by_role[Role.ANALYST]).get("/cases/screenings/").status_code == 403
    )


def test_a_screening_saved_leads_to_the_screenings(worker):
    answer = signed_in_client(worker).post("/cases/screen/ilo_forced_labour/", SCREENING)
    assert answer.status_code == 302 and answer["Location"] == "/cases/screenings/"


# --- referrals --------------------------------------------------------------------------------


def test_the_referrals_to_us_find_filter_and_export(actors, worker, monkeypatch):
    # given an NGO that received three referrals, one accepted
    ngo = make_entity("SAFEHOME", kind=EntityKind.NGO)
    provider = make_user(ngo, Role.FOCAL_POINT)
    services.offer_save(actor=provider, service="shelter", country="ITA")
    services.offer_save(actor=provider, service="health", country="ITA")
    referrals = [
        services.referral_create(
            actor=worker,
            case=a_case(worker, names=f"Person {n}"),
            to_entity=ngo,
            services=[service],
            parts=["profile"],
        )
        for n, service in enumerate(["shelter", "health", "shelter"])
    ]
    services.referral_answer(actor=provider, referral=referrals[0], answer="accept")
    client = signed_in_client(provider)
    # the home page's link: pending ones
    page = _page(client, "/cases/referrals/", status="pending")
    assert found_in_list(page) == "2"
    assert found_in_list(_page(client, "/cases/referrals/", service="health")) == "1"
    assert found_in_list(_page(client, "/cases/referrals/", q=actors.entity.code)) == "3"
    assert found_in_list(_page(client, "/cases/referrals/", q="nobody-sends-this")) == "0"
    page = _page(client, "/cases/referrals/", sort="-status")
    assert page.index('data-status="pending"') < page.index('data-status="accepted"')
    _smaller(monkeypatch, "REFERRALS")
    assert "Page 2 of 2" in _page(client, "/cases/referrals/", page="2")
    rows = _csv(client, "/cases/referrals/", status="pending")
    assert rows[0] == ["Received", "From", "Services", "Status"] and len(rows) == 3
    assert {r[1] for r in rows[1:]} == {actors.entity.code} and "Person" not in str(rows)
    assert AuditEvent.objects.get(action="export.created").details["list"] == "referrals"
    # the referring entity does not see them as its own incoming referrals
    assert found_in_list(_page(signed_in_client(worker), "/cases/referrals/")) == "0"


# --- tips -------------------------------------------------------------------------------------


def test_the_tips_queue_finds_filters_and_exports_never_the_text(actors, worker, monkeypatch):
    for n in range(3):
        services.tip_receive(entity=actors.entity, raw={"what": f"A house near the market {n}"})
    tip = services.tip_receive(entity=actors.entity, raw={"what": "A farm", "contact": "+236"})
    services.tip_triage(actor=worker, tip=tip, status="dismissed", note="Duplicate of 12")
    client = signed_in_client(worker)
    # the home page's link: new tips
    page = _page(client, "/cases/tips/", status="new")
    assert found_in_list(page) == "3" and "market" not in page
    page = _page(client, "/cases/tips/", q="duplicate")
    assert found_in_list(page) == "1" and "Duplicate of 12" in page
    assert (
        found_in_list(_page(client, "/cases/tips/", q="farm")) == "0"
    )  # the text is never searched
    page = _page(client, "/cases/tips/", sort="status")
    assert page.index('data-tip-status="dismissed"') < page.index('data-tip-status="new"')
    _smaller(monkeypatch, "TIPS")
    assert "Page 2 of 2" in _page(client, "/cases/tips/", page="2")
    rows = _csv(client, "/cases/tips/")
    assert rows[0] == ["Received", "Status", "Note"] and len(rows) == 5
    assert not any(word in str(rows) for word in ("market", "farm", "+236"))
    assert AuditEvent.objects.get(action="export.created").details["list"] == "tips"
    other = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    assert found_in_list(_page(other, "/cases/tips/")) == "0"
    assert len(_csv(other, "/cases/tips/")) == 1
