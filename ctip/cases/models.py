"""Screenings and case files. Identity (names, date of birth, contacts, documents, the
narrative, the best-interests assessment) lives in its own table, `CaseIdentity`, encrypted at
rest and loaded only by the services that must (`ctip.cases.services.identity`); a keyed hash
of name and date of birth on the case warns of a probable duplicate without revealing either."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.cases.codes import (
    INDICATOR_SETS,
    ApprovalKind,
    ApprovalState,
    AttachmentType,
    CaseEventKind,
    CaseStatus,
    GoalStatus,
    Outcome,
    ReferralStatus,
    RiskLevel,
    ServiceType,
    Setting,
    TipStatus,
)
from ctip.core.codes import (
    AgeBand,
    DisplacementStatus,
    RecruiterRelation,
    Sex,
    StatusDecidedBy,
    TraffickingStatus,
)
from ctip.core.crypto import EncryptedTextField
from ctip.core.models import ConflictSituation, Country, Entity, User

SET_CHOICES = [(code, s.title) for code, s in INDICATOR_SETS.items()]


class Case(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40, unique=True)
    # the identity lives in CaseIdentity; this keyed hash of name and date of birth (a blind
    # index) finds probable duplicates without loading or decrypting it
    identity_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # the rest is pseudonymous
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    country_of_detection = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country where identified"),
    )
    reported_to_statistics = models.DateTimeField(null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=2, choices=Sex.choices, default=Sex.UNKNOWN)
    age_band = models.CharField(
        _("age"), max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    citizenship = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    displacement_status = models.CharField(
        _("displacement status"),
        max_length=20,
        choices=DisplacementStatus.choices,
        default=DisplacementStatus.UNKNOWN,
    )
    conflict_situation = models.ForeignKey(
        ConflictSituation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forms_of_exploitation = models.CharField(max_length=400, blank=True)
    means_of_control = models.CharField(max_length=600, blank=True)
    recruiter_relation = models.CharField(
        max_length=12, choices=RecruiterRelation.choices, blank=True
    )
    trafficking_status = models.CharField(
        max_length=30, choices=TraffickingStatus.choices, default=TraffickingStatus.POSSIBLE
    )
    status_decided_by = models.CharField(max_length=40, choices=StatusDecidedBy.choices, blank=True)
    consent_sharing = models.BooleanField(_("consents to data sharing"), default=False)
    consent_referral = models.BooleanField(_("consents to referral"), default=False)
    consent_statistics = models.BooleanField(
        _("consents to inclusion in statistics"), default=False
    )
    consent_date = models.DateField(_("date of consent"), null=True, blank=True)
    consent_scope = models.CharField(_("scope of consent"), max_length=300, blank=True)
    non_punishment = models.BooleanField(_("non-punishment applies"), default=False)
    risk_level = models.CharField(
        _("risk level"), max_length=6, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    caseworker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    identity_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [  # covering, for the early-warning signals
            models.Index(fields=["conflict_situation", "identified_on"], name="case_signals")
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_child(self) -> bool:
        return self.age_band in {AgeBand.Y0_8, AgeBand.Y9_17}


class CaseIdentity(models.Model):
    """Who the person is: encrypted, shown only to the assigned caseworker and the focal
    points through the audited read. No reverse accessor (`related_name="+"`): a case page or
    a template cannot reach it by accident; `ctip.cases.services.identity` is the only door."""

    case = models.OneToOneField(Case, primary_key=True, on_delete=models.CASCADE, related_name="+")
    names = EncryptedTextField(_("names"), blank=True)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    contacts = EncryptedTextField(_("contacts"), blank=True)
    documents = EncryptedTextField(_("identity documents"), blank=True)
    narrative = EncryptedTextField(_("narrative"), blank=True)
    best_interests = EncryptedTextField(_("best-interests assessment"), blank=True)

    def __str__(self) -> str:
        return f"identity of case {self.case_id}"


class CaseEvent(models.Model):
    """The case's timeline: every change, who made it and when. `note` and `changes` never
    hold an identity value; an edit keeps the previous values of the changed fields: the
    pseudonymous ones in `changes` (codes, as the case row keeps them), the identity ones
    encrypted in `previous_identity`, read only through `ctip.cases.services.identity`."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    note = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(default=dict, blank=True)  # field -> previous value (codes)
    previous_identity = EncryptedTextField(blank=True)  # JSON: identity field -> previous

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    @property
    def kind_label(self) -> str:
        return (
            str(CaseEventKind(self.kind).label) if self.kind in CaseEventKind.values else self.kind
        )


class CaseNote(models.Model):
    """A caseworker's note on the case: encrypted, read through the audited
    `ctip.cases.services.notes.case_work_read`; no reverse accessor from the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(_("note"))
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"note on case {self.case_id}"


class FollowUp(models.Model):
    """Something to do on a case by a date; what is encrypted like a note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("due on"))
    what = EncryptedTextField(_("what is to be done"))
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_on = models.DateField(null=True, blank=True)  # told once, the day it fell due

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["done_at", "due_on"], name="follow_up_due")]

    def __str__(self) -> str:
        return f"follow-up of case {self.case_id} due {self.due_on}"


class CaseGoal(models.Model):
    """A goal of the case plan (Primero's case plan): what is to be achieved, encrypted like
    a note, and where it stands."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(_("goal"))
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.PLANNED
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"goal of case {self.case_id}"


class CaseAttachment(models.Model):
    """A file attached to a case (a scanned document, a medical report, a photo): its
    original name and description encrypted, its type as its content showed it. The content
    is in `CaseAttachmentContent`, a table of its own that no list loads; both are read
    only through `ctip.cases.services.attachments`. No reverse accessor from the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    name = EncryptedTextField(_("file name"))
    description = EncryptedTextField(_("description"), blank=True)
    content_type = models.CharField(_("type"), max_length=40, choices=AttachmentType.choices)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"file {self.pk} of case {self.case_id}"


class CaseAttachmentContent(models.Model):
    """The bytes of an attachment, base64 in an encrypted column (so `ctip rotate_keys`
    re-encrypts them with every other encrypted field). Deleted with its attachment."""

    attachment = models.OneToOneField(
        CaseAttachment, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    content = EncryptedTextField()

    def __str__(self) -> str:
        return f"content of file {self.attachment_id}"


class CaseApproval(models.Model):
    """A caseworker's request that a focal point of the entity (CTIP's supervisor) approve
    the case plan or the case's closure, and the answer. The comment that sends a request
    back may name the person: encrypted, read with the notes (audited)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ApprovalKind.choices)
    closing_status = models.CharField(  # a closure: the closed status asked for
        max_length=16, choices=CaseStatus.choices, blank=True
    )
    state = models.CharField(
        max_length=10, choices=ApprovalState.choices, default=ApprovalState.PENDING
    )
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = EncryptedTextField(_("comment"), blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(state="pending"),
                name="approval_pending_once",
            )
        ]
        indexes = [models.Index(fields=["state", "case"], name="approval_state")]

    def __str__(self) -> str:
        return f"{self.kind} of case {self.case_id}: {self.state}"


class Screening(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    screened_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    screener_name = models.CharField(max_length=200, blank=True)  # from a field form
    screened_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices)
    indicator_set = models.CharField(_("indicators"), max_length=30, choices=SET_CHOICES)
    under_18 = models.BooleanField(_("under 18"), null=True)
    answers = models.JSONField(default=dict)  # "set.question" -> yes / no / unknown
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("reason"))
    submission_id = models.CharField(max_length=100, blank=True)  # KoBo / ODK instance id
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="screenings"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-screened_on", "-pk"]
        indexes = [  # covering, for the early-warning signals
            models.Index(fields=["outcome", "entity", "screened_on"], name="screening_signals")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "submission_id"],
                condition=~models.Q(submission_id=""),
                name="screening_submission_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.screened_on} {self.outcome}"

    @property
    def yes_count(self) -> int:
        return sum(1 for value in self.answers.values() if value == "yes")


class ServiceOffer(models.Model):
    """The directory: a provider (an entity) offers a service in a country, maybe an area."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    service = models.CharField(_("service"), max_length=30, choices=ServiceType.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(_("area"), max_length=200, blank=True)

    class Meta:
        ordering = ["country_id", "service", "entity__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "service", "country", "area"], name="offer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.service} {self.country_id}"


class Referral(models.Model):
    """A case referred to a provider. The provider sees only `shared`: the parts the person
    consented to share, copied at referral time (encrypted), never the case itself."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    to_entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    services = models.CharField(max_length=300)  # ";"-joined ServiceType codes
    shared = EncryptedTextField(blank=True)  # JSON of the shared parts
    shared_parts = models.CharField(max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    answer = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_entity_id}"

    @property
    def service_codes(self) -> list[str]:
        return [c for c in self.services.split(";") if c]


class ServiceDelivery(models.Model):
    """A service given: by whom, from when to when, with what outcome."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deliveries")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    provider = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    service = models.CharField(_("service"), max_length=30, choices=ServiceType.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.service}"


class Tip(models.Model):
    """An anonymous tip from the public page: encrypted, in the chosen entity's queue."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    what = EncryptedTextField(_("what happened"))
    where = EncryptedTextField(_("where"), blank=True)
    contact = EncryptedTextField(_("how to reach you"), blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=TipStatus.choices, default=TipStatus.NEW)
    triage_note = models.CharField(max_length=500, blank=True)
    triaged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [  # covering, for the early-warning signals
            models.Index(fields=["entity", "received_at"], name="tip_signals")
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.received_at:%Y-%m-%d}"
