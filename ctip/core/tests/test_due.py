"""The home page says what is due for each role, each item a link to the filtered list."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ctip.cases import services as cases
from ctip.cases.models import FollowUp
from ctip.cases.tests.builders import a_case
from ctip.core.codes import Role
from ctip.core.due import due_for
from ctip.core.testing import signed_in_client
from ctip.statistics import services as statistics
from ctip.statistics.tests.builders import a_draft


@pytest.fixture
def round_2025(reference_data):
    return statistics.round_open(actor=None, year=2025, deadline=date(2026, 6, 30))


def _home(user) -> str:
    return signed_in_client(user).get("/").content.decode()


def test_nothing_due_says_so(actors):
    assert "Nothing is due today." in _home(actors.by_role[Role.LEGAL_OFFICER])


def test_a_caseworker_sees_follow_ups_due_and_late_ones_first(actors):
    worker = actors.by_role[Role.CASEWORKER]
    case = a_case(worker)
    cases.follow_up_add(
        actor=worker,
        case=case,
        raw={"due_on": timezone.localdate().isoformat(), "what": "Call the shelter"},
    )
    page = _home(worker)
    assert (
        'href="/cases/?follow_up=due"><span class="value">1</span> Cases with a follow-up due'
        in page
    )
    assert "Call the shelter" not in page  # what is to be done is read on the case page only
    FollowUp.objects.update(due_on=timezone.localdate() - timedelta(days=3))
    first = due_for(worker, timezone.localdate())[0]
    assert first.overdue and first.count == 1
    # a colleague of another entity has nothing due from it
    assert not due_for(actors.other_by_role[Role.CASEWORKER], timezone.localdate())


def test_focal_points_see_what_to_fix_and_analysts_what_to_validate(actors, round_2025):
    focal, analyst = actors.by_role[Role.FOCAL_POINT], actors.by_role[Role.ANALYST]
    draft = a_draft(actors, round_2025)
    page = _home(focal)
    assert "/statistics/rounds/2025/?status=draft" in page
    assert "Draft submissions not yet sent, 2025" in page
    statistics.submission_submit(actor=focal, submission=draft)
    assert "Submissions to validate, 2025" in _home(analyst)
    statistics.submission_return(actor=analyst, submission=draft, comment="Ages, please.")
    page = _home(focal)
    assert "Submissions returned for correction, 2025" in page
    assert "/statistics/rounds/2025/?status=returned" in page
    # late once the deadline has passed
    round_2025.deadline = date(2020, 1, 1)
    round_2025.save()
    assert due_for(focal, timezone.localdate())[0].overdue
    # the other entity's focal point has nothing to fix
    other = [d.label for d in due_for(actors.other_by_role[Role.FOCAL_POINT], date.today())]
    assert not any("returned" in str(label) for label in other)


def test_the_due_list_links_to_a_list_filtered_the_same_way(actors, round_2025):
    focal = actors.by_role[Role.FOCAL_POINT]
    a_draft(actors, round_2025)
    item = due_for(focal, timezone.localdate())[0]
    page = signed_in_client(focal).get(item.url).content.decode()
    assert f'data-testid="list-count">{item.count} found' in page
