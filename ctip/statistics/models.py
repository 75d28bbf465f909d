import uuid
from collections.abc import Iterable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ctip.core.codes import (
    AgeBand,
    AgeGroup,
    DisplacementStatus,
    RecruiterRelation,
    Sex,
    StatusDecidedBy,
    TraffickingStatus,
)
from ctip.core.models import ConflictSituation, Country, Entity, User
from ctip.statistics.codes import Dimension, Indicator, RoundState, SubmissionStatus, ValueStatus


class ReportingRound(models.Model):
    """A GLOTIP reporting round: the data of one reference year, due by a deadline."""

    year = models.PositiveSmallIntegerField(_("reference year"), unique=True)
    deadline = models.DateField(_("deadline"))
    state = models.CharField(max_length=10, choices=RoundState.choices, default=RoundState.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class ExpectedSubmission(models.Model):
    """Who should report what in a round: the coverage page compares these with what came."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="expected")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["entity__code", "country_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "entity", "country"], name="expected_submission_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.country_id}"


class Submission(models.Model):
    """One entity's data for one round and country of detection."""

    round = models.ForeignKey(ReportingRound, on_delete=models.PROTECT, related_name="submissions")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="submissions")
    country_of_detection = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country of detection")
    )
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    validated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The long-format table as reported, kept while the submission cannot change (figures.py).
    table_cache = models.JSONField(null=True, blank=True, editable=False)
    # How many victim records it holds: set by the import, the only writer of records, so
    # lists of submissions need not count a million rows.
    record_count = models.PositiveIntegerField(default=0, editable=False)
    # Victims by citizenship ({ISO alpha-3: n}) from the records, kept likewise, for flows.
    origins_cache = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["round", "entity__code", "country_of_detection"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "entity", "country_of_detection"],
                name="one_submission_per_country",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity.code} {self.round.year} {self.country_of_detection_id}"

    @property
    def is_editable(self) -> bool:
        """A draft while its round is open; one returned for correction until the round is
        published (closing a round stops new data, not the corrections analysts asked for)."""
        if self.status == SubmissionStatus.DRAFT:
            return self.round.state == RoundState.OPEN
        if self.status == SubmissionStatus.RETURNED:
            return self.round.state != RoundState.PUBLISHED
        return False


class SubmissionEvent(models.Model):
    """The timeline of a submission: every step, who took it, and the comment given."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        IMPORTED = "imported", _("Data imported")
        EDITED = "edited", _("Data edited")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        VALIDATED = "validated", _("Validated")
        PUBLISHED = "published", pgettext_lazy("submission event", "Published")
        WARNING_EXPLAINED = "warning_explained", _("Warning explained")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    comment = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind}"


def split_codes(joined: str) -> list[str]:
    return joined.split(";") if joined else []


def join_codes(codes: Iterable[str]) -> str:
    return ";".join(sorted(set(codes)))


class VictimRecord(models.Model):
    """A pseudonymised victim record: never a name, only keyed hashes for matching.

    Forms of exploitation and means of control are kept on the row as sorted codes joined by
    “;” rather than in child tables: a million records then load as a million rows, and the
    statistics count the few distinct combinations. Indexes are only those a query uses.
    """

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="records",
        db_index=False,  # the record_once constraint's index starts with the submission
    )
    record_uuid = models.UUIDField(default=uuid.uuid4)
    year_of_identification = models.PositiveSmallIntegerField()
    citizenship = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    sex = models.CharField(max_length=2, choices=Sex.choices, default=Sex.UNKNOWN)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    age_group = models.CharField(max_length=6, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN)
    recruiter_relation = models.CharField(
        max_length=12, choices=RecruiterRelation.choices, blank=True
    )
    trafficking_status = models.CharField(
        max_length=30, choices=TraffickingStatus.choices, default=TraffickingStatus.POSSIBLE
    )
    status_decided_by = models.CharField(max_length=40, choices=StatusDecidedBy.choices, blank=True)
    conflict_situation = models.ForeignKey(
        ConflictSituation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    forms_of_exploitation = models.CharField(max_length=400, blank=True)
    means_of_control = models.CharField(max_length=600, blank=True)
    displacement_status = models.CharField(
        max_length=20, choices=DisplacementStatus.choices, default=DisplacementStatus.UNKNOWN
    )
    armed_group_involved = models.BooleanField(null=True)
    terrorist_group_involved = models.BooleanField(null=True)
    # A Bloom-filter linkage key made at the source (ctip.linkage.keys), base64; never a name.
    linkage_key = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "record_uuid"], name="record_once")
        ]

    def __str__(self) -> str:
        return str(self.record_uuid)

    @property
    def forms(self) -> list[str]:
        return split_codes(self.forms_of_exploitation)

    @property
    def means(self) -> list[str]:
        return split_codes(self.means_of_control)

    @property
    def is_conflict_related(self) -> bool:
        return bool(
            self.conflict_situation_id or self.armed_group_involved or self.terrorist_group_involved
        )


class AggregateValue(models.Model):
    """One cell of a GLOTIP long-format table: indicator × sex × age × dimension/category."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="aggregates")
    indicator = models.CharField(max_length=40, choices=Indicator.choices)
    sex = models.CharField(max_length=2, choices=Sex.choices, default=Sex.TOTAL)
    age = models.CharField(max_length=6, choices=AgeGroup.choices, default=AgeGroup.TOTAL)
    dimension = models.CharField(max_length=30, choices=Dimension.choices, default=Dimension.TOTAL)
    category = models.CharField(max_length=40, default="Total")
    value = models.PositiveIntegerField(null=True, blank=True)
    value_status = models.CharField(
        max_length=15, choices=ValueStatus.choices, default=ValueStatus.REPORTED
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator", "sex", "age", "dimension", "category"],
                name="one_value_per_cell",
            ),
            models.CheckConstraint(
                condition=~models.Q(value_status="reported") | models.Q(value__isnull=False),
                name="reported_value_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.sex} {self.age} {self.dimension}/{self.category}"


class WarningExplanation(models.Model):
    """A focal point's comment on a validation warning; without it the submission cannot go."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="explanations"
    )
    rule = models.CharField(max_length=60)
    cell = models.CharField(max_length=200)
    comment = models.TextField()
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "rule", "cell"], name="explain_once")
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.cell}"


class PublishedRelease(models.Model):
    """An immutable, versioned snapshot of a round's disclosure-controlled statistics."""

    round = models.ForeignKey(ReportingRound, on_delete=models.PROTECT, related_name="releases")
    version = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=200)
    threshold = models.PositiveSmallIntegerField()
    cells = models.JSONField()
    submission_ids = models.JSONField()
    # Optional differentially private table: detected victims by country (one cell a person).
    dp_epsilon = models.FloatField(null=True, blank=True)
    dp_cells = models.JSONField(default=list, blank=True)
    # Victims by citizenship → country of detection, the pairs left free by the same
    # suppression as the cells: [{"origin", "destination", "value", "kind", "status"}].
    flows = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-round__year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="release_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.round.year} v{self.version}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise PermissionError("a published release is immutable; publish a new version")
        super().save(*args, **kwargs)


class DuplicateCluster(models.Model):
    """Records of probably the same person reported by different entities in one round."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed: one person")
        REJECTED = "rejected", _("Rejected: different people")

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="clusters")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    match_probability = models.FloatField()
    similarity = models.FloatField(null=True, blank=True)  # the lowest Dice of its linkage keys
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-match_probability", "pk"]

    def __str__(self) -> str:
        return f"cluster {self.pk} ({self.status})"

    def comparisons(self) -> list[tuple[str, bool | None]]:
        """What the records say in clear, compared: agree, differ, or unknown to one."""
        records = [member.record for member in self.members.all()]
        fields = [
            (_("sex"), lambda r: "" if r.sex == Sex.UNKNOWN else r.sex),
            (_("age"), lambda r: "" if r.age_band == AgeBand.UNKNOWN else r.age_band),
            (_("citizenship"), lambda r: r.citizenship_id or ""),
            (_("country of detection"), lambda r: r.submission.country_of_detection_id),
        ]
        compared: list[tuple[str, bool | None]] = []
        for label, value in fields:
            values = [value(r) for r in records]
            known = [v for v in values if v]
            agrees = None if len(known) < len(values) else len(set(known)) == 1
            compared.append((str(label), agrees))
        return compared


class DuplicateMember(models.Model):
    cluster = models.ForeignKey(DuplicateCluster, on_delete=models.CASCADE, related_name="members")
    record = models.OneToOneField(
        VictimRecord, on_delete=models.CASCADE, related_name="duplicate_membership"
    )
    match_probability = models.FloatField(null=True, blank=True)  # its best pair in the cluster

    class Meta:
        ordering = ["record_id"]

    def __str__(self) -> str:
        return f"{self.cluster_id}:{self.record_id}"
