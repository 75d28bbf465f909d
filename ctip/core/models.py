import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.codes import ROLES_REQUIRING_TWO_FACTOR, EntityKind, Role

entity_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,19}$",
    _("Use 2 to 20 capital letters, digits or hyphens, e.g. UNAMI."),
)


class Region(models.Model):
    """A UN M49 region, sub-region or intermediate region."""

    class Level(models.TextChoices):
        REGION = "region", _("Region")
        SUBREGION = "subregion", _("Sub-region")
        INTERMEDIATE = "intermediate", _("Intermediate region")

    m49 = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=12, choices=Level.choices)

    def __str__(self) -> str:
        return self.name


class Country(models.Model):
    """An ISO 3166-1 country or area with its place in the M49 hierarchy."""

    alpha3 = models.CharField(max_length=3, primary_key=True)
    alpha2 = models.CharField(max_length=2, unique=True)
    numeric = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=120)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subregion = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intermediate_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Entity(models.Model):
    """A reporting organisation: a mission, agency, Member State authority, NGO or provider."""

    code = models.CharField(max_length=20, unique=True, validators=[entity_code_validator])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EntityKind.choices)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("country")
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("entities")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        """`ctip createsuperuser`: an administrator of the operator entity."""
        from django.conf import settings

        entity, _created = Entity.objects.get_or_create(
            code=settings.CTIP_OPERATOR_ENTITY,
            defaults={"name": "CTIP operator", "kind": EntityKind.UN_AGENCY},
        )
        fields.setdefault("full_name", email.split("@")[0])
        return self.create_user(
            email, password, entity=entity, role=Role.ADMINISTRATOR, is_superuser=True, **fields
        )


class User(AbstractBaseUser):
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="users", verbose_name=_("entity")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    is_superuser = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    preferred_language = models.CharField(max_length=10, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def requires_two_factor(self) -> bool:
        return self.role in ROLES_REQUIRING_TWO_FACTOR

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


class ConflictSituation(models.Model):
    """A conflict or post-conflict situation that victim data can be linked to."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    countries = models.ManyToManyField(Country, verbose_name=_("countries"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="conflict_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class AuditEvent(models.Model):
    """One entry of the hash-chained audit log; written only by ctip.core.audit.audit_record."""

    sequence = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # the audit key that signs `hash` (HMAC-SHA256); blank for events written before keyed
    # hashing, which carry a plain SHA-256 and are accepted only at the start of the chain
    key_id = models.CharField(max_length=40, blank=True, default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["created_at"]),
            models.Index(fields=["object_type", "object_id"]),
            # counts of one user's recent events of a kind (the duplicate-check limit)
            models.Index(fields=["actor", "action", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class AuditChainHead(models.Model):
    """The single row that serialises appends: its lock orders the chain across workers."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # The last event that may have changed data (not a read, a sign-in or an export): what
    # the public pages' cache keys on (ctip.core.public_cache).
    changed_sequence = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"head #{self.sequence}"


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class Job(models.Model):
    """A background job started by a user, with the progress that user sees."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="jobs")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="jobs")
    kind = models.CharField(max_length=60)
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    input_name = models.CharField(max_length=200, blank=True)
    input_data = models.BinaryField(null=True, blank=True, editable=False)
    summary = models.JSONField(default=dict, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    result_data = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class WorkerHeartbeat(models.Model):
    """Written by `ctip worker` every few seconds so /healthz can tell a stopped worker."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker_id


class Notification(models.Model):
    """A message to one person in the application, beside the e-mail: never more detail than
    the e-mail carries, so a shared screen reveals no more than an inbox."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["user"], name="notification_unread", condition=models.Q(read_at=None)
            )
        ]

    def __str__(self) -> str:
        return self.subject


class RateLimitCounter(models.Model):
    """How many times a key (a keyed hash of an address, or a user) used a limited action in
    one hour. In the database, so that a limit holds across web workers and machines."""

    bucket = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "key", "window_start"], name="ratelimit_one_counter"
            )
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.bucket} {self.window_start:%Y-%m-%d %H:00} {self.count}"


class Backup(models.Model):
    """A backup `ctip backup` finished: when, where and what, for the metrics endpoint's
    "last successful backup" and its alert. The backup itself never holds the key file."""

    taken_at = models.DateTimeField(default=timezone.now, db_index=True)
    vendor = models.CharField(max_length=20)
    location = models.CharField(max_length=500)
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-taken_at"]

    def __str__(self) -> str:
        return f"{self.vendor} backup {self.taken_at:%Y-%m-%d %H:%M}"
