"""A follow-up that falls due is reminded once to the caseworker, without what is to be done."""

from datetime import timedelta

from django.utils import timezone

from ctip.cases import services
from ctip.cases.tests.builders import a_case
from ctip.core.audit import AuditEvent
from ctip.core.codes import Role
from ctip.core.models import Notification


def test_a_follow_up_due_is_reminded_once_and_never_says_what(actors):
    worker = actors.by_role[Role.CASEWORKER]
    case = a_case(worker)
    today = timezone.localdate()
    services.follow_up_add(
        actor=worker, case=case, raw={"due_on": today.isoformat(), "what": "Call the shelter"}
    )
    later = services.follow_up_add(
        actor=worker,
        case=case,
        raw={"due_on": (today + timedelta(days=3)).isoformat(), "what": "Visit"},
    )
    assert services.follow_up_reminders(today) == 1
    told = Notification.objects.get(user=worker)
    assert case.reference in told.subject and "shelter" not in told.subject
    assert told.url == f"/cases/{case.pk}/"
    assert AuditEvent.objects.filter(action="cases.follow_up_reminded").count() == 1
    assert services.follow_up_reminders(today) == 0  # once
    services.follow_up_done(actor=worker, follow_up=later)
    assert services.follow_up_reminders(today + timedelta(days=5)) == 0  # done: not reminded
