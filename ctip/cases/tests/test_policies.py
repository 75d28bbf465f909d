"""One door: ids that are not numbers, role rules in policies.py, no model queries in views."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from ctip.cases import services
from ctip.cases.tests.builders import CASE, SCREENING, a_case
from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import signed_in_client

pytestmark = pytest.mark.django_db
CASES = Path(__file__).resolve().parents[1]
ROLES = {"focal_point", "caseworker", "analyst", "administrator"}
PROTECTED = {"Case", "CaseIdentity", "Screening", "Referral", "ServiceDelivery", "Tip"}


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


@pytest.mark.parametrize("bad", ["abc", "²", "1.5", "-1", "9" * 30, ""])
def test_ids_that_are_not_numbers_are_404_never_500(actors, bad):
    # given a caseworker with a tip in the queue
    worker = actors.by_role[Role.CASEWORKER]
    services.tip_receive(entity=actors.entity, raw={"what": "x"})
    client = signed_in_client(worker)
    # when ids come from the query string or a form
    answers = [
        client.get(reverse("cases:new"), {"screening": bad}),
        client.post(reverse("cases:tips"), {"tip": bad, "status": "screening"}),
        client.get(reverse("cases:tips"), {"tip": bad}),
    ]
    # then each is a 404 (or, for the queue's GET, the queue itself)
    assert [a.status_code for a in answers] == [404, 404, 200]


def test_ids_too_large_for_the_database_in_the_path_are_404(actors):
    client = signed_in_client(actors.by_role[Role.CASEWORKER])
    huge = 10**30
    for url in (
        f"/cases/{huge}/",
        f"/cases/{huge}/refer/",
        f"/cases/referrals/{huge}/",
        f"/cases/tips/{huge}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/cases/{huge}/status/", {"status": "closed"}).status_code == 404


def test_a_bad_caseworker_id_is_a_form_error(actors):
    case = a_case(actors.by_role[Role.CASEWORKER])
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    answer = focal.post(
        reverse("cases:act", args=[case.pk, "assign"]), {"caseworker": "9" * 30}, follow=True
    )
    assert answer.status_code == 200 and "A caseworker of your entity." in answer.content.decode()


def test_views_and_commands_reach_protected_models_only_through_selectors():
    # given the sources of the views and the commands
    files = [CASES / "views.py", *sorted((CASES / "management" / "commands").glob("*.py"))]
    for path in files:
        tree = ast.parse(path.read_text())
        # then no `Case.objects` (or any protected model's manager) appears in them
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                assert not (isinstance(node.value, ast.Name) and node.value.id in PROTECTED), (
                    f"{path.name}:{node.lineno} uses {node.value.id}.objects"
                )
        # and no role is compared with, or filtered by, a string literal
        for node in ast.walk(tree):
            literals = []
            if isinstance(node, ast.Compare):
                literals = [node.left, *node.comparators]
            elif isinstance(node, ast.keyword) and (node.arg or "").startswith("role"):
                literals = [node.value]
            for literal in literals:
                if isinstance(literal, ast.Constant) and literal.value in ROLES:
                    line = getattr(node, "lineno", 0)
                    pytest.fail(f"{path.name}:{line} writes the role {literal.value!r}")


def test_role_sets_live_in_policies_only():
    from ctip.cases import policies

    assert services.FIELD_STAFF is policies.FIELD_STAFF
    for path in CASES.rglob("*.py"):
        if path.name == "policies.py" or "tests" in path.parts:
            continue
        assert "Role.CASEWORKER, Role.FOCAL_POINT" not in path.read_text(), path


def test_a_tip_is_read_only_through_an_audited_read(actors):
    # given a tip with the tipster's contact
    tip = services.tip_receive(
        entity=actors.entity, raw={"what": "Girls kept in a house", "contact": "+236 7000"}
    )
    focal = actors.by_role[Role.FOCAL_POINT]
    client = signed_in_client(focal)
    # when the queue is opened, nothing is read; when the tip is opened, it is
    assert "+236" not in client.get(reverse("cases:tips")).content.decode()
    before = AuditEvent.objects.count()
    page = client.get(reverse("cases:tip_read", args=[tip.pk]))
    # then the reading is in the audit log, with the fields and without the text
    assert "+236 7000" in page.content.decode() and "no-store" in page["Cache-Control"]
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert AuditEvent.objects.count() == before + 1
    assert event.actor == focal and event.object_id == str(tip.pk)
    assert event.details == {"fields": ["contact", "what", "where"]}
    assert "+236" not in str(event.details)


def test_the_duplicate_check_is_audited_and_limited_per_user(actors, settings):
    # given a person already known to another entity
    other = actors.other_by_role[Role.CASEWORKER]
    a_case(other)
    worker = actors.by_role[Role.CASEWORKER]
    # when a caseworker opens cases for the same name and date of birth
    first = services.case_open(actor=worker, raw=CASE)
    # then the check says how many cases elsewhere, and is audited with counts only
    assert first.duplicates_elsewhere == 1 and not first.duplicate_check_paused
    event = AuditEvent.objects.filter(action="cases.duplicate_checked", actor=worker).get()
    assert event.details == {"here": 0, "elsewhere": 1, "paused": False}
    assert "Amina" not in str(event.details) and "2009" not in str(event.details)
    for _ in range(services.DUPLICATE_CHECKS_PER_HOUR - 1):
        services.case_open(actor=worker, raw={**CASE, "names": "Someone else"})
    # beyond the limit, the case opens but the cross-entity count is not revealed
    paused = services.case_open(actor=worker, raw=CASE)
    assert paused.case.pk and paused.duplicate_check_paused
    assert paused.duplicates_elsewhere == 0 and paused.duplicates_here == []
    # another user is not held back by this one's checks
    focal = actors.by_role[Role.FOCAL_POINT]
    assert services.case_open(actor=focal, raw=CASE).duplicates_elsewhere == 1


def test_the_page_says_when_the_duplicate_check_is_paused(actors):
    worker = actors.by_role[Role.CASEWORKER]
    a_case(actors.other_by_role[Role.CASEWORKER])
    for _ in range(services.DUPLICATE_CHECKS_PER_HOUR):
        a_case(worker, names="Someone else")
    answer = signed_in_client(worker).post(
        reverse("cases:new"), {**CASE, "forms_of_exploitation": "SexualExploitation"}, follow=True
    )
    page = answer.content.decode()
    assert "check for duplicates is paused" in page and "other entities" not in page


def test_a_screening_of_another_entity_cannot_open_a_case(actors):
    screening = services.screening_record(
        actor=actors.other_by_role[Role.CASEWORKER], raw=SCREENING
    )
    client = signed_in_client(actors.by_role[Role.CASEWORKER])
    assert client.get(reverse("cases:new"), {"screening": screening.pk}).status_code == 404
