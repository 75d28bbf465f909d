"""Who may do what in GLOTIP-framework reporting: the one door to its protected data.

Submissions, their victim records and aggregate cells, duplicate clusters, expectations and
import jobs belong to an entity. Reporters (focal points and caseworkers) prepare their own
entity's data; only a focal point submits it. Analysts and administrators see every entity's
submissions (pseudonymised records, never identities); analysts review, de-duplicate and
publish. Published releases are public: they passed disclosure control.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.core.codes import Role
from ctip.core.models import User
from ctip.core.policies import require_role
from ctip.statistics.codes import SubmissionStatus
from ctip.statistics.models import Submission

# Prepare their own entity's data: cells, records, explanations, imports.
REPORTERS = frozenset({Role.FOCAL_POINT, Role.CASEWORKER})
# Send their entity's data for validation.
SUBMITTERS = frozenset({Role.FOCAL_POINT})
# See every entity's submissions, coverage and internal exports; open rounds, set expectations.
COORDINATORS = frozenset({Role.ANALYST, Role.ADMINISTRATOR})
# Return, validate, de-duplicate and publish.
REVIEWERS = frozenset({Role.ANALYST})
# Anyone who may read the reporting pages at all.
READERS = REPORTERS | COORDINATORS


def require(user: User, roles: frozenset[str]) -> None:
    """403 unless the user holds one of the roles (a role rule is no secret)."""
    require_role(user, *roles)


def holds(user: User, roles: frozenset[str]) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*roles)


def sees_all_entities(user: User) -> bool:
    return holds(user, COORDINATORS)


def scope_submissions(user: User) -> QuerySet[Submission]:
    """The submissions the user may read: their entity's, or every one for coordinators."""
    require(user, READERS)
    submissions = Submission.objects.select_related("round", "entity", "country_of_detection")
    if not sees_all_entities(user):
        submissions = submissions.filter(entity_id=user.entity_id)
    return submissions


def may_edit_submission(user: User, submission: Submission) -> bool:
    """A reporter of the submission's entity, while it is a draft or returned."""
    return (
        holds(user, REPORTERS) and user.entity_id == submission.entity_id and submission.is_editable
    )


def may_read_records(user: User, submission: Submission) -> bool:
    """A submission's victim records, one by one: its entity's reporters and the analysts
    (administrators see submissions, not records)."""
    own = holds(user, REPORTERS) and user.entity_id == submission.entity_id
    return own or holds(user, REVIEWERS)


def may_delete_records(user: User, submission: Submission) -> bool:
    """All records of a submission that can still change (a wrong import undone): its
    entity's focal points, or an analyst while it is a draft."""
    if not submission.is_editable:
        return False
    own = holds(user, SUBMITTERS) and user.entity_id == submission.entity_id
    return own or (holds(user, REVIEWERS) and submission.status == SubmissionStatus.DRAFT)


def may_submit(user: User, submission: Submission) -> bool:
    return holds(user, SUBMITTERS) and may_edit_submission(user, submission)


def may_review(user: User, submission: Submission) -> bool:
    return holds(user, REVIEWERS) and submission.status in {
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.VALIDATED,
    }


def analyst_recipients() -> QuerySet[User]:
    """Who is told that a submission waits for validation."""
    return User.objects.filter(role__in=REVIEWERS, is_active=True)


def focal_points_of(submission: Submission) -> QuerySet[User]:
    """Who is told that their entity's submission was returned or validated."""
    return submission.entity.users.filter(role__in=SUBMITTERS, is_active=True)
