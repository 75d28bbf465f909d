"""Reads of screenings, cases, referrals, services and tips, for one user, through the
policies. A missing record and one the user may not reach give the same 404; an id that is
not a number (or too large for the database) is a 404 too, never a 500. No selector loads
an identity, a tip's text or a referral's snapshot: those are audited services."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from ctip.cases import policies
from ctip.cases.codes import ApprovalState, CaseStatus, Outcome
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
    ServiceOffer,
    Tip,
)
from ctip.core.codes import AgeBand, AgeGroup, Sex
from ctip.core.models import Entity, User
from ctip.core.selectors import YearMonth, known_on, one_or_404
from ctip.core.values import day_after, parse_id

# --- cases ------------------------------------------------------------------------------------


def cases_for(*, user: User) -> QuerySet[Case]:
    return policies.cases_scope(user).select_related("caseworker", "citizenship")


def case_get(*, user: User, case_id: Any) -> Case:
    """One case, with the rows its page names (the case's facts read no more)."""
    found = cases_for(user=user).select_related(
        "citizenship", "country_of_detection", "conflict_situation"
    )
    return one_or_404(found, case_id)


def case_events(*, user: User, case: Case) -> QuerySet[CaseEvent]:
    """The timeline, without the encrypted previous identity values."""
    return policies.events_scope(user).filter(case=case).select_related("actor")


def case_referrals(*, user: User, case: Case) -> QuerySet[Referral]:
    return policies.referrals_sent_scope(user).filter(case=case).select_related("to_entity")


def case_deliveries(*, user: User, case: Case) -> QuerySet[ServiceDelivery]:
    return policies.deliveries_scope(user).filter(case=case).select_related("provider")


def case_notes(*, user: User, case: Case) -> QuerySet[CaseNote]:
    """Who wrote a note and when, never its text (`services.case_work_read` reads it)."""
    return policies.notes_scope(user).filter(case=case).select_related("author")


def case_follow_ups(*, user: User, case: Case) -> QuerySet[FollowUp]:
    """A case's follow-ups, due dates only (the text is read through `case_work_read`)."""
    return policies.follow_ups_scope(user).filter(case=case).select_related("done_by")


def case_goals(*, user: User, case: Case) -> QuerySet[CaseGoal]:
    """The goals of a case plan and where they stand, without their text."""
    return policies.goals_scope(user).filter(case=case)


def goal_get(*, user: User, case: Case, goal_id: Any) -> CaseGoal:
    return one_or_404(case_goals(user=user, case=case), goal_id)


def follow_up_get(*, user: User, case: Case, follow_up_id: Any) -> FollowUp:
    return one_or_404(case_follow_ups(user=user, case=case), follow_up_id)


def case_attachments(*, user: User, case: Case) -> QuerySet[CaseAttachment]:
    """A case's files: type, size, when and by whom, never the name or the content."""
    return policies.attachments_scope(user).filter(case=case).select_related("uploaded_by")


def attachment_get(*, user: User, case: Case, attachment_id: Any) -> CaseAttachment:
    return one_or_404(case_attachments(user=user, case=case), attachment_id)


def case_approvals(*, user: User, case: Case) -> QuerySet[CaseApproval]:
    """A case's requests for approval and their answers, without the comments."""
    return (
        policies.approvals_scope(user)
        .filter(case=case)
        .select_related("requested_by", "decided_by")
    )


def approval_get(*, user: User, case: Case, approval_id: Any) -> CaseApproval:
    return one_or_404(case_approvals(user=user, case=case), approval_id)


def approvals_pending(*, user: User) -> QuerySet[CaseApproval]:
    """Requests waiting for a focal point's answer, on the user's entity's cases."""
    if not user.is_authenticated or not user.has_role(*policies.FIELD_STAFF):
        return CaseApproval.objects.none()
    return policies.approvals_scope(user).filter(state=ApprovalState.PENDING)


def follow_ups_due(*, user: User, on: datetime.date) -> QuerySet[FollowUp]:
    """The user's follow-ups not done and due on `on` or before (overdue ones included), on
    the open cases of the user's entity assigned to the user or where the user set them;
    oldest first. Case reference and due date only, never what is to be done (read on the
    case page, audited). Empty for a role that works on no case."""
    if not user.is_authenticated or not user.has_role(*policies.FIELD_STAFF):
        return FollowUp.objects.none()
    return (
        policies.follow_ups_scope(user)
        .filter(done_at__isnull=True, due_on__lte=on)
        .filter(Q(case__caseworker=user) | Q(created_by=user))
        .exclude(case__status__in=[CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED])
        .select_related("case")
        .order_by("due_on", "pk")
    )


def rounds_open() -> list[Any]:
    """The statistics' reporting rounds open for submissions, newest first."""
    from ctip.statistics.codes import RoundState
    from ctip.statistics.selectors import rounds

    return [r for r in rounds().order_by("-year") if r.state == RoundState.OPEN]


def caseworkers_for(*, user: User) -> QuerySet[User]:
    """The active caseworkers of the user's entity, who may be given a case."""
    return User.objects.filter(
        entity_id=user.entity_id, role__in=policies.CASEWORKERS, is_active=True
    ).order_by("full_name")


def caseworker_get(*, user: User, caseworker_id: Any) -> User | None:
    pk = parse_id(caseworker_id)
    return caseworkers_for(user=user).filter(pk=pk).first() if pk is not None else None


def transfer_targets(*, user: User) -> QuerySet[Entity]:
    return Entity.objects.filter(is_active=True).exclude(pk=user.entity_id).order_by("code")


# --- screenings ---------------------------------------------------------------------------------


def screenings_for(*, user: User) -> QuerySet[Screening]:
    return policies.screenings_scope(user).select_related("case", "screened_by")


def screening_get(*, user: User, screening_id: Any) -> Screening:
    return one_or_404(screenings_for(user=user), screening_id)


def submissions_seen(*, entity: Entity) -> set[str]:
    """Instance ids of screenings the entity imported already (for an idempotent import)."""
    return set(
        Screening.objects.filter(entity=entity)
        .exclude(submission_id="")
        .values_list("submission_id", flat=True)
    )


# --- referrals, services, directory -----------------------------------------------------------


def referrals_incoming(*, user: User) -> QuerySet[Referral]:
    """Referrals sent to the user's entity: the provider's side."""
    return policies.referrals_incoming_scope(user).select_related("case__entity")


def referral_incoming_get(*, user: User, referral_id: Any) -> Referral:
    return one_or_404(referrals_incoming(user=user), referral_id)


def referral_deliveries(*, user: User, referral: Referral) -> QuerySet[ServiceDelivery]:
    return policies.deliveries_scope(user).filter(referral=referral)


def directory() -> QuerySet[ServiceOffer]:
    return ServiceOffer.objects.select_related("entity", "country").filter(entity__is_active=True)


def providers_for(*, user: User) -> QuerySet[Entity]:
    """Active entities in the directory, other than the user's own."""
    return (
        Entity.objects.filter(is_active=True, pk__in=directory().values("entity"))
        .exclude(pk=user.entity_id)
        .order_by("code")
    )


# --- tips ---------------------------------------------------------------------------------------


def tips_for(*, user: User) -> QuerySet[Tip]:
    """The entity's queue, without the text (reading a tip is `services.tip_read`)."""
    return policies.tips_scope(user)


def tip_get(*, user: User, tip_id: Any) -> Tip:
    return one_or_404(tips_for(user=user), tip_id)


def tip_recipients() -> QuerySet[Entity]:
    """Who the public may send a tip to."""
    return Entity.objects.filter(is_active=True).exclude(kind="member_state").order_by("code")


# --- counts for the early-warning signals (`ctip.warning.sources`): the system computes them
# for the situations' watchers (`ctip.warning.policies`); counts only, never a row; each as
# of a date (`until`), for a look back.


def presumed_victims_by_month(until: datetime.date) -> list[dict[str, Any]]:
    """Screenings that concluded 'presumed victim', per screening entity and month."""
    found = Screening.objects.filter(outcome=Outcome.PRESUMED_VICTIM, screened_on__lte=until)
    return list(
        known_on(found, until)
        .values("entity_id", month=YearMonth("screened_on"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def tips_by_month(until: datetime.date) -> list[dict[str, Any]]:
    """Anonymous tips per receiving entity and month."""
    return list(
        Tip.objects.filter(received_at__lt=day_after(until))
        .values("entity_id", month=YearMonth("received_at"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def cases_by_month(until: datetime.date) -> list[dict[str, Any]]:
    """Cases linked to a conflict situation, per situation and month of identification."""
    found = Case.objects.filter(conflict_situation__isnull=False, identified_on__lte=until)
    return list(
        known_on(found, until, "opened_at")
        .values("conflict_situation_id", month=YearMonth("identified_on"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def assisted_by(provider: Entity, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The victims a provider gave a service to in a period (a service that ran in it), each
    counted once, by sex, by age group, by form of exploitation and by service: for a trust
    fund's report of its grantee's assistance. Counts only, never a case."""
    deliveries = ServiceDelivery.objects.filter(provider=provider, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    cases: dict[int, dict[str, Any]] = {}
    for case_id, sex, age, forms, service in deliveries.values_list(
        "case_id", "case__sex", "case__age_band", "case__forms_of_exploitation", "service"
    ):
        entry = cases.setdefault(
            case_id, {"sex": sex, "age": age, "forms": forms, "services": set()}
        )
        entry["services"].add(service)
    found: dict[str, Any] = {
        "victims": len(cases),
        "by_sex": {},
        "by_age": {},
        "by_form": {},
        "by_service": {},
    }

    def add(part: str, code: str) -> None:
        found[part][code] = found[part].get(code, 0) + 1

    for entry in cases.values():
        add("by_sex", entry["sex"] if entry["sex"] in (Sex.FEMALE, Sex.MALE) else Sex.UNKNOWN)
        add(
            "by_age",
            AgeBand(entry["age"]).age_group if entry["age"] in AgeBand.values else AgeGroup.UNKNOWN,
        )
        for form in {f for f in entry["forms"].split(";") if f}:
            add("by_form", form)
        for service in entry["services"]:
            add("by_service", service)
    return found
