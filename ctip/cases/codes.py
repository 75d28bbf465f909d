"""Screening indicator sets as data (source report para 29-33, 49-50), and the code lists of
case files (HTCDS v2 where it has one)."""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ctip.core.codes import Sex


@dataclass(frozen=True)
class Question:
    code: str
    text: str | Promise
    children_only: bool = False  # asked only when the person is under 18


@dataclass(frozen=True)
class IndicatorSet:
    code: str
    title: str | Promise
    source: str
    questions: tuple[Question, ...]


Q = Question
INDICATOR_SETS = {
    s.code: s
    for s in (
        IndicatorSet(
            "ilo_forced_labour",
            _("ILO indicators of forced labour"),
            "ILO, Indicators of Forced Labour (2012)",
            (
                Q(
                    "vulnerability",
                    _("Did someone take advantage of a difficult situation you were in?"),
                ),
                Q("deception", _("Were you deceived about the work, the pay or the conditions?")),
                Q("movement", _("Were you prevented from leaving the place of work or living?")),
                Q("isolation", _("Were you kept apart from other people or the outside world?")),
                Q("violence", _("Were you hit, hurt or sexually abused?")),
                Q("threats", _("Were you or your family threatened?")),
                Q("documents", _("Did someone keep your identity or travel documents?")),
                Q("wages", _("Were your wages withheld or never paid?")),
                Q("debt", _("Did you have to work to pay off a debt that kept growing?")),
                Q("conditions", _("Were the working or living conditions degrading or dangerous?")),
                Q("overtime", _("Were you made to work excessive hours or days?")),
            ),
        ),
        IndicatorSet(
            "iom_flow_monitoring",
            _("IOM flow-monitoring trafficking questions"),
            "IOM DTM flow monitoring survey, human trafficking module (2016)",
            (
                Q("unpaid", _("Did you work without getting the payment you expected?")),
                Q("forced_work", _("Were you forced to work against your will?")),
                Q("arranged_marriage", _("Were you offered an arranged marriage?")),
                Q("held", _("Were you kept at a location against your will?")),
                Q("organs", _("Were you offered money for blood or organs?")),
                Q("violence", _("Did you experience physical violence?")),
            ),
        ),
        IndicatorSet(
            "child",
            _("Indicators for children"),
            "UNICEF / IOM child protection screening practice",
            (
                Q("unaccompanied", _("Is the child unaccompanied or separated?"), True),
                Q(
                    "not_with_carer",
                    _("Is the child with an adult who is not a parent or known carer?"),
                    True,
                ),
                Q("working", _("Does the child work instead of going to school?"), True),
                Q("armed_group", _("Was the child recruited or used by an armed group?"), True),
                Q("married", _("Is the child married or promised in marriage?"), True),
                Q("sexual_exploitation", _("Was the child exploited sexually?"), True),
            ),
        ),
    )
}


# the sexes a person's case offers: "Total" (_T) is an aggregate's code, never one person's
CASE_SEXES = [(code, label) for code, label in Sex.choices if code != Sex.TOTAL]


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Did not answer")


class Setting(models.TextChoices):
    """Where the screening took place: reception and asylum settings matter (para 32, 50)."""

    RECEPTION = "reception", _("Reception centre")
    ASYLUM = "asylum", _("Asylum procedure")
    BORDER = "border", _("Border or transit point")
    CAMP = "camp", _("Camp for displaced people")
    COMMUNITY = "community", _("Community")
    DETENTION = "detention", _("Detention")
    SHELTER = "shelter", _("Shelter")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim")
    NOT_A_VICTIM = "not_a_victim", _("Not a victim")
    FURTHER_ASSESSMENT = "further_assessment", _("Needs further assessment")


class CaseStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("case", "Active")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", pgettext_lazy("case", "Closed")
    CLOSED_REFERRED = "closed_referred", _("Closed: referred")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ServiceType(models.TextChoices):
    """Assistance (para 34 and HTCDS support plans)."""

    SHELTER = "shelter", _("Shelter")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL_COUNSELLING = "legal_counselling", _("Legal counselling")
    COURT_REPRESENTATION = "court_representation", _("Representation in court")
    EDUCATION = "education", _("Education")
    VOCATIONAL = "vocational", _("Vocational training")
    HEALTH = "health", _("Primary health care")
    STIPEND = "stipend", _("Stipend")
    RESETTLEMENT = "resettlement", _("Resettlement")
    FAMILY_TRACING = "family_tracing", _("Family tracing and reunification")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


class SharedPart(models.TextChoices):
    """What a referral may pass to the provider; identity only with consent to sharing."""

    PROFILE = "profile", _("Sex, age, citizenship and languages")
    EXPLOITATION = "exploitation", _("Forms of exploitation and means of control")
    IDENTITY = "identity", _("Names, date of birth and contacts")
    NARRATIVE = "narrative", _("Narrative")


IDENTITY_PARTS = {SharedPart.IDENTITY, SharedPart.NARRATIVE}


class TipStatus(models.TextChoices):
    NEW = "new", _("New")
    SCREENING = "screening", _("Being screened")
    DISMISSED = "dismissed", _("Dismissed")
    CASE_OPENED = "case_opened", _("Case opened")


class CasesAction(models.TextChoices):
    SCREENING_RECORDED = "cases.screening_recorded", _("Screening recorded")
    SCREENINGS_IMPORTED = "cases.screenings_imported", _("Screenings imported")
    CASE_OPENED = "cases.case_opened", _("Case opened")
    CASE_UPDATED = "cases.case_updated", _("Case updated")
    IDENTITY_VIEWED = "cases.identity_viewed", _("Identity in a case viewed")
    REFERRAL_SENT = "cases.referral_sent", _("Referral sent")
    REFERRAL_ANSWERED = "cases.referral_answered", _("Referral answered")
    SERVICE_RECORDED = "cases.service_recorded", _("Service recorded")
    OFFER_SAVED = "cases.offer_saved", _("Service offer saved")
    TIP_RECEIVED = "cases.tip_received", _("Anonymous tip received")
    TIP_TRIAGED = "cases.tip_triaged", _("Tip triaged")
    CASE_TRANSFERRED = "cases.case_transferred", _("Case transferred")
    IDENTITIES_PURGED = "cases.identities_purged", _("Identities of closed cases purged")
    DUPLICATE_CHECKED = "cases.duplicate_checked", _("Duplicate check at case opening")
    CASE_EDITED = "cases.case_edited", _("Case edited")
    NOTE_ADDED = "cases.note_added", _("Case note added")
    FOLLOW_UP_ADDED = "cases.follow_up_added", _("Follow-up set")
    FOLLOW_UP_DONE = "cases.follow_up_done", _("Follow-up done")
    FOLLOW_UP_REMINDED = "cases.follow_up_reminded", _("Follow-up reminder sent")
    NOTES_READ = "cases.notes_read", _("Case notes, follow-ups and plan read")
    GOAL_ADDED = "cases.goal_added", _("Goal added to a case plan")
    GOAL_UPDATED = "cases.goal_updated", _("Goal of a case plan updated")
    ATTACHMENT_ADDED = "cases.attachment_added", _("File attached to a case")
    ATTACHMENT_DOWNLOADED = "cases.attachment_downloaded", _("File of a case downloaded")
    ATTACHMENT_DELETED = "cases.attachment_deleted", _("File of a case deleted")
    APPROVAL_REQUESTED = "cases.approval_requested", _("Approval of a case plan or closure asked")
    APPROVAL_DECIDED = "cases.approval_decided", _("Case plan or closure approved or sent back")


class GoalStatus(models.TextChoices):
    """Where a goal of the case plan stands."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class CaseEventKind(models.TextChoices):
    """The lines of a case's timeline (`CaseEvent.kind`)."""

    OPENED = "opened", _("Case opened")
    REFERRED_IN = "referred_in", _("Opened on a referral")
    SCREENING_LINKED = "screening_linked", _("Screening linked")
    DUPLICATE_WARNING = "duplicate_warning", _("Probable duplicate")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Caseworker assigned")
    TRANSFERRED = "transferred", _("Case transferred")
    REPORTED = "reported_to_statistics", _("Added to the reporting round")
    IDENTITY_PURGED = "identity_purged", _("Identity deleted at the end of retention")
    REFERRED = "referred", _("Referred to a provider")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_COMPLETED = "referral_completed", _("Referral completed")
    SERVICE = "service", _("Service recorded")
    EDITED = "edited", _("Case edited")
    FOLLOW_UP_SET = "follow_up_set", _("Follow-up set")
    FOLLOW_UP_DONE = "follow_up_done", _("Follow-up done")
    GOAL_ADDED = "goal_added", _("Goal added to the case plan")
    GOAL_STATUS = "goal_status", _("Goal of the case plan updated")
    ATTACHMENT_ADDED = "attachment_added", _("File attached")
    ATTACHMENT_DELETED = "attachment_deleted", _("File deleted")
    PLAN_APPROVAL_REQUESTED = "plan_approval_requested", _("Approval of the case plan asked")
    PLAN_APPROVED = "plan_approved", _("Case plan approved")
    PLAN_RETURNED = "plan_returned", _("Case plan sent back")
    CLOSURE_REQUESTED = "closure_requested", _("Closure asked")
    CLOSURE_APPROVED = "closure_approved", _("Closure approved")
    CLOSURE_RETURNED = "closure_returned", _("Closure sent back")


class AttachmentType(models.TextChoices):
    """What a file attached to a case is, judged by its content (its first bytes), never by
    its name: the types a case takes."""

    PDF = "application/pdf", _("PDF document")
    JPEG = "image/jpeg", _("JPEG image")
    PNG = "image/png", _("PNG image")
    TEXT = "text/plain", _("Plain text")


class ApprovalKind(models.TextChoices):
    """What a caseworker asks a focal point (the entity's supervisor) to approve."""

    PLAN = "plan", _("Case plan")
    CLOSURE = "closure", _("Closure")


class ApprovalState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Sent back")


class ApprovalDecision(models.TextChoices):
    """A focal point's answer to a request for approval."""

    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Send back")
