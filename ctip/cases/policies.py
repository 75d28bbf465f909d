"""Who may do what with screenings, cases, referrals and tips: the one place for the rules.

Role sets and predicates are here, and the `*_scope(user)` querysets that every selector
starts from. Views, commands and services never write a role string or filter a protected
model by entity themselves.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.cases.codes import CaseStatus, ReferralStatus
from ctip.cases.models import (
    Case,
    CaseApproval,
    CaseAttachment,
    CaseEvent,
    CaseGoal,
    CaseNote,
    FollowUp,
    Referral,
    Screening,
    ServiceDelivery,
    Tip,
)
from ctip.core.codes import Role
from ctip.core.models import User
from ctip.core.policies import require_role

FIELD_STAFF = (Role.CASEWORKER, Role.FOCAL_POINT)
FOCAL_POINTS = (Role.FOCAL_POINT,)
CASEWORKERS = (Role.CASEWORKER,)
# encrypted columns a list must never load: read only through an audited service
TIP_SECRETS = ("what", "where", "contact")
REFERRAL_SECRETS = ("shared",)
EVENT_SECRETS = ("previous_identity",)
NOTE_SECRETS = ("text",)
FOLLOW_UP_SECRETS = ("what",)
GOAL_SECRETS = ("text",)
ATTACHMENT_SECRETS = ("name", "description")  # the content is in a table of its own
APPROVAL_SECRETS = ("comment",)
CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)


def require_field_staff(user: User) -> None:
    """The entity's caseworkers and focal points; everyone else gets 403."""
    require_role(user, *FIELD_STAFF)


def require_focal_point(user: User) -> None:
    require_role(user, *FOCAL_POINTS)


def is_focal_point(user: User) -> bool:
    return user.has_role(*FOCAL_POINTS)


def may_see_identity(user: User, case: Case) -> bool:
    """The assigned caseworker and the entity's focal points; nobody else, ever."""
    if not user.is_active or user.entity_id != case.entity_id:
        return False
    return user.has_role(*FOCAL_POINTS) or (
        user.has_role(*CASEWORKERS) and case.caseworker_id == user.pk
    )


def may_edit(user: User, case: Case) -> bool:
    """Those who see the identity, since the form shows it: the assigned caseworker and the
    entity's focal points."""
    return may_see_identity(user, case)


def may_keep_notes(user: User, case: Case) -> bool:
    """Notes and follow-ups are free text that may name the person: read and written by
    those who see the identity."""
    return may_see_identity(user, case)


def may_attach(user: User, case: Case) -> bool:
    """Files attached to a case (scans, medical reports, photos) name and show the person:
    added, listed by name and downloaded by those who read the notes."""
    return may_keep_notes(user, case)


def may_delete_attachment(user: User, attachment: CaseAttachment) -> bool:
    """Its uploader or a focal point of the entity, while they may read the case's files."""
    return may_attach(user, attachment.case) and (
        attachment.uploaded_by_id == user.pk or is_focal_point(user)
    )


def may_close(user: User, case: Case) -> bool:
    """A focal point of the entity closes a case directly; a caseworker asks a focal point
    to approve the closure (`may_request_approval`)."""
    return is_focal_point(user) and may_work_on(user, case)


def may_request_approval(user: User, case: Case) -> bool:
    """The assigned caseworker (or a focal point) asks for approval of the case plan or of
    the closure of a case that is not closed."""
    return may_keep_notes(user, case) and case.status not in CLOSED_STATUSES


def may_decide(user: User, approval: CaseApproval) -> bool:
    """A focal point of the case's entity, other than the one who asked: CTIP has no
    supervisor role, the focal point is the supervisor."""
    return (
        is_focal_point(user)
        and may_work_on(user, approval.case)
        and approval.requested_by_id != user.pk
    )


def may_transfer(user: User) -> bool:
    return is_focal_point(user)


def may_assign(user: User) -> bool:
    return is_focal_point(user)


def may_keep_directory(user: User) -> bool:
    return is_focal_point(user)


def may_work_on(user: User, case: Case) -> bool:
    """The case's own entity's field staff."""
    return user.has_role(*FIELD_STAFF) and case.entity_id == user.entity_id


def may_answer(user: User, referral: Referral) -> bool:
    """The provider the referral was sent to."""
    return user.has_role(*FIELD_STAFF) and referral.to_entity_id == user.entity_id


def may_record_service(user: User, case: Case, referral: Referral | None) -> bool:
    """The case's entity, or the provider of an accepted referral of that case."""
    if referral is None:
        return may_work_on(user, case)
    return (
        may_answer(user, referral)
        and referral.case_id == case.pk
        and referral.status in {ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED}
    )


def may_triage(user: User, tip: Tip) -> bool:
    return user.has_role(*FIELD_STAFF) and tip.entity_id == user.entity_id


def may_be_caseworker(user: User) -> bool:
    return user.has_role(*CASEWORKERS)


# --- scopes: what a user may reach at all (selectors start here) ------------------------------


def cases_scope(user: User) -> QuerySet[Case]:
    require_field_staff(user)
    return Case.objects.filter(entity_id=user.entity_id)


def screenings_scope(user: User) -> QuerySet[Screening]:
    require_field_staff(user)
    return Screening.objects.filter(entity_id=user.entity_id)


def referrals_incoming_scope(user: User) -> QuerySet[Referral]:
    """Referrals sent to the user's entity: the provider's side (the snapshot deferred)."""
    require_field_staff(user)
    return Referral.objects.filter(to_entity_id=user.entity_id).defer(*REFERRAL_SECRETS)


def referrals_sent_scope(user: User) -> QuerySet[Referral]:
    require_field_staff(user)
    return Referral.objects.filter(case__entity_id=user.entity_id).defer(*REFERRAL_SECRETS)


def deliveries_scope(user: User) -> QuerySet[ServiceDelivery]:
    """Services of the user's entity's cases, and those its own people gave as a provider."""
    require_field_staff(user)
    return ServiceDelivery.objects.filter(case__entity_id=user.entity_id) | (
        ServiceDelivery.objects.filter(provider_id=user.entity_id)
    )


def tips_scope(user: User) -> QuerySet[Tip]:
    """The entity's tip queue, without the text: reading it is an audited service."""
    require_field_staff(user)
    return Tip.objects.filter(entity_id=user.entity_id).defer(*TIP_SECRETS)


def events_scope(user: User) -> QuerySet[CaseEvent]:
    """Timelines of the entity's cases, without the encrypted previous identity values."""
    require_field_staff(user)
    return CaseEvent.objects.filter(case__entity_id=user.entity_id).defer(*EVENT_SECRETS)


def notes_scope(user: User) -> QuerySet[CaseNote]:
    """Notes of the entity's cases, without their text (read through an audited service)."""
    require_field_staff(user)
    return CaseNote.objects.filter(case__entity_id=user.entity_id).defer(*NOTE_SECRETS)


def follow_ups_scope(user: User) -> QuerySet[FollowUp]:
    """Follow-ups of the entity's cases, without what is to be done (read audited)."""
    require_field_staff(user)
    return FollowUp.objects.filter(case__entity_id=user.entity_id).defer(*FOLLOW_UP_SECRETS)


def goals_scope(user: User) -> QuerySet[CaseGoal]:
    """Goals of the entity's cases' plans, without their text (read audited)."""
    require_field_staff(user)
    return CaseGoal.objects.filter(case__entity_id=user.entity_id).defer(*GOAL_SECRETS)


def attachments_scope(user: User) -> QuerySet[CaseAttachment]:
    """Files of the entity's cases: type, size, when and by whom; never the name or the
    description (read through an audited service), and never the content."""
    require_field_staff(user)
    return CaseAttachment.objects.filter(case__entity_id=user.entity_id).defer(*ATTACHMENT_SECRETS)


def approvals_scope(user: User) -> QuerySet[CaseApproval]:
    """Requests for approval of the entity's cases, without the comment (read audited)."""
    require_field_staff(user)
    return CaseApproval.objects.filter(case__entity_id=user.entity_id).defer(*APPROVAL_SECRETS)
