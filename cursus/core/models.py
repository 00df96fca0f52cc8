"""Users and their roles."""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def percent_done(done: int, total: int, *, complete: bool = False) -> int:
    """Return how far a long task has gone, in whole percent: 100 once complete."""
    if complete:
        return 100
    if not total:
        return 0
    return min(100, done * 100 // total)


class TimeStampedModel(models.Model):
    """A model that records when each row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager["User"]):
    """Create users who log in with their e-mail address."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        """Create and save a user with the given e-mail address and password."""
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        """Create a superuser (the Django admin's all-powerful account)."""
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: learners, teachers, staff, jury members, employer contacts."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=[("fr", "Français"), ("en", "English")],
        default="fr",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("back-office access"),
        default=False,
        help_text=_("Can log into the administration site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        """Return the first and last names, separated by a space."""
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        """Return the first name, or the e-mail address when there is none."""
        return self.first_name or self.email


class Role(models.TextChoices):
    """What a user may do, and over which centre or employer."""

    REGISTRAR = "registrar", _("Registrar")
    CENTRE_STAFF = "centre_staff", _("Centre staff")
    TEACHER = "teacher", _("Teacher")
    JURY_MEMBER = "jury_member", _("Jury member")
    EMPLOYER_CONTACT = "employer_contact", _("Employer contact")
    LEARNER = "learner", _("Learner")


class RoleAssignment(TimeStampedModel):
    """A role granted to a user, scoped to a centre or an employer where the role needs one."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    centre = models.ForeignKey(
        "catalogue.Centre",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("centre"),
    )
    employer = models.ForeignKey(
        "enrolment.Employer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("employer"),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "centre", "employer"],
                name="role_assignment_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="centre_staff") | models.Q(centre__isnull=False),
                name="centre_staff_has_centre",
                violation_error_message=_("Centre staff must be assigned a centre."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role="employer_contact") | models.Q(employer__isnull=False),
                name="employer_contact_has_employer",
                violation_error_message=_("An employer contact must be assigned an employer."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.centre or self.employer
        label = self.get_role_display()
        return f"{self.user} — {label}" + (f" ({scope})" if scope else "")


class Event(models.Model):
    """One entry of the append-only, hash-chained log of what changed and who changed it.

    Each event's hash covers its content and its predecessor's hash, so that a
    row edited or deleted behind the application's back breaks the chain.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    kind = models.CharField(_("kind"), max_length=80)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("actor"),
    )
    subject_type = models.CharField(_("subject type"), max_length=80)
    subject_id = models.CharField(_("subject"), max_length=64)
    data = models.JSONField(_("data"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["sequence"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        # A constraint rather than ``unique=True``: PostgreSQL then keeps no second index
        # for LIKE on the hash, which nothing searches by prefix.
        constraints = [models.UniqueConstraint(fields=["hash"], name="event_hash_unique")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.subject_type}:{self.subject_id}"


class EventChainHead(models.Model):
    """The single row that serialises appends to the event log and holds its last hash."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("event chain head")
        verbose_name_plural = _("event chain head")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_chain_head")]

    def __str__(self) -> str:
        return f"#{self.last_sequence}"


class ApiToken(models.Model):
    """A personal API token; only the SHA-256 of its secret is kept, the secret is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(
        _("prefix"), max_length=8, help_text=_("Shown to tell tokens apart; not a secret.")
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (cur_{self.prefix}…)"
