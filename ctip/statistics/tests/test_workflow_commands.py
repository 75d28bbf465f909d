"""`ctip submission` and `ctip publish_round`: the pages' services acting as a named user, and
every refusal one readable line (CommandError), never a traceback."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.statistics import services
from ctip.statistics.codes import StatisticsAction, SubmissionStatus
from ctip.statistics.models import PublishedRelease
from ctip.statistics.tests.builders import status_of

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_the_whole_workflow_from_the_command_line(actors, draft):
    focal_point, analyst = actors.by_role[Role.FOCAL_POINT], actors.by_role[Role.ANALYST]
    # when / then: each step changes the state and is audited in the named user's name
    assert "status now: Submitted" in run(
        "submission", "submit", draft.pk, "--as", focal_point.email
    )
    run("submission", "return", draft.pk, "--as", analyst.email, "--comment", "Check sex")
    assert status_of(draft) == SubmissionStatus.RETURNED
    assert draft.events.get(kind="returned").comment == "Check sex"
    run("submission", "submit", draft.pk, "--as", focal_point.email.upper())
    run("submission", "validate", draft.pk, "--as", analyst.email)
    out = run("publish_round", 2025, "--as", analyst.email, "--threshold", 3)
    assert "version 1" in out
    assert status_of(draft) == SubmissionStatus.PUBLISHED
    assert PublishedRelease.objects.get().threshold == 3
    actions = (
        AuditEvent.objects.filter(action__startswith="statistics.")
        .order_by("sequence")
        .values_list("action", "actor")
    )
    assert [a for a in actions if a[0] != StatisticsAction.IMPORTED][-5:] == [
        (StatisticsAction.SUBMITTED, focal_point.pk),
        (StatisticsAction.RETURNED, analyst.pk),
        (StatisticsAction.SUBMITTED, focal_point.pk),
        (StatisticsAction.VALIDATED, analyst.pk),
        (StatisticsAction.PUBLISHED, analyst.pk),
    ]
    # and each names the command and the operator beside the user: not the user on the page
    published = AuditEvent.objects.get(action=StatisticsAction.PUBLISHED)
    assert published.actor_label.startswith(f"{analyst.email} via cli:publish_round (")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["submit", "{id}", "--as", "nobody@example.org"], "No active user"),
        (["submit", "{id}", "--as", "{other_focal_point}"], "No submission"),
        (["submit", "999999", "--as", "{focal_point}"], "No submission"),
        (["submit", "{id}", "--as", "{caseworker}"], "may not do this"),
        (["submit", "{id}", "--as", "{legal_officer}"], "may not do this"),
        (["validate", "{id}", "--as", "{focal_point}"], "may not do this"),
        (["validate", "{id}", "--as", "{analyst}"], "Only submitted data"),
        (["return", "{id}", "--as", "{analyst}"], "Only submitted or validated"),
    ],
)
def test_a_refused_step_is_one_readable_line(actors, draft, args, message):
    names = {
        "id": draft.pk,
        "other_focal_point": actors.other_by_role[Role.FOCAL_POINT].email,
        **{role: user.email for role, user in actors.by_role.items()},
    }
    with pytest.raises(CommandError, match=message):
        run("submission", *[a.format(**names) for a in args])
    assert status_of(draft) == SubmissionStatus.DRAFT
    assert not AuditEvent.objects.filter(action=StatisticsAction.SUBMITTED).exists()


def test_a_return_without_a_comment_says_so(actors, submitted):
    with pytest.raises(CommandError, match="comment: Say what"):
        run("submission", "return", submitted.pk, "--as", actors.by_role[Role.ANALYST].email)
    assert status_of(submitted) == SubmissionStatus.SUBMITTED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2025", "--as", "{focal_point}"], "may not do this"),
        (["2025", "--as", "{administrator}"], "may not do this"),
        (["1999", "--as", "{analyst}"], "No 1999 round"),
        (["2025", "--as", "{analyst}", "--threshold", "1"], "threshold: The threshold"),
        (["2025", "--as", "{analyst}", "--threshold", "101"], "at most 100"),
        (["2025", "--as", "{analyst}", "--epsilon", "nan"], "epsilon: Epsilon"),
    ],
)
def test_publishing_refused_is_one_readable_line(actors, submitted, args, message):
    services.submission_validate(actor=actors.by_role[Role.ANALYST], submission=submitted)
    names = {role: user.email for role, user in actors.by_role.items()}
    with pytest.raises(CommandError, match=message):
        run("publish_round", *[a.format(**names) for a in args])
    assert not PublishedRelease.objects.exists()


def test_publishing_nothing_validated_says_so(actors, submitted):
    with pytest.raises(CommandError, match="No validated submission"):
        run("publish_round", 2025, "--as", actors.by_role[Role.ANALYST].email)
