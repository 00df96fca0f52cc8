"""Diploma requests, jury sessions and their candidates, awarded diplomas and their numbering."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cursus.core.models import TimeStampedModel


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONSIDERED = "considered", _("Put before a jury")


class DiplomaRequest(TimeStampedModel):
    """A learner asks to be put before a jury for a diploma."""

    learner = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.CASCADE,
        related_name="diploma_requests",
        verbose_name=_("learner"),
    )
    diploma_code = models.CharField(_("diploma"), max_length=30)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )

    class Meta:
        verbose_name = _("diploma request")
        verbose_name_plural = _("diploma requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "diploma_code"],
                condition=models.Q(status="pending"),
                name="diploma_request_one_pending",
                violation_error_message=_("This diploma is already requested."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} → {self.diploma_code} ({self.status})"


class JuryLevel(models.TextChoices):
    CENTRE = "centre", _("Centre jury")
    NATIONAL = "national", _("National jury")


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class JurySession(TimeStampedModel):
    """A jury sitting for one diploma: at a centre, or national where the diploma needs it."""

    diploma_code = models.CharField(_("diploma"), max_length=30)
    level = models.CharField(_("level"), max_length=10, choices=JuryLevel.choices)
    centre = models.ForeignKey(
        "catalogue.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jury_sessions",
        verbose_name=_("centre"),
    )
    held_on = models.DateField(_("held on"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="jury_sessions", verbose_name=_("members")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("jury session")
        verbose_name_plural = _("jury sessions")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(level="centre") & models.Q(centre__isnull=False))
                | (models.Q(level="national") & models.Q(centre__isnull=True)),
                name="jury_session_centre_matches_level",
                violation_error_message=_("A centre jury needs a centre; a national one none."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.diploma_code} {self.held_on} ({self.level})"


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided")
    AWARD = "award", _("Award")
    DEFER = "defer", _("Defer")
    REFUSE = "refuse", _("Refuse")


class Candidate(TimeStampedModel):
    """A learner before a jury session, the evidence shown and the jury's decision."""

    session = models.ForeignKey(
        JurySession,
        on_delete=models.CASCADE,
        related_name="candidates",
        verbose_name=_("jury session"),
    )
    learner = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="jury_candidacies",
        verbose_name=_("learner"),
    )
    request = models.ForeignKey(
        DiplomaRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidacies",
        verbose_name=_("request"),
    )
    evidence = models.JSONField(_("evidence"), default=dict)
    satisfied = models.BooleanField(_("audit satisfied"), default=False)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    override_reason = models.TextField(_("jury override"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["session", "learner__last_name", "learner__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"],
                name="candidate_once_per_session",
                violation_error_message=_("The learner is already a candidate in this session."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} @ {self.session_id}: {self.decision}"


class Honours(models.TextChoices):
    NONE = "", _("No honours")
    ASSEZ_BIEN = "assez_bien", _("Assez bien")
    BIEN = "bien", _("Bien")
    TRES_BIEN = "tres_bien", _("Très bien")


class AwardStatus(models.TextChoices):
    AWARDED = "awarded", _("Awarded")
    REVOKED = "revoked", _("Revoked")


class AwardedDiploma(models.Model):
    """A diploma awarded under its unique number: never edited, only revoked with a reason."""

    number = models.CharField(_("number"), max_length=60, unique=True)
    learner = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="diplomas",
        verbose_name=_("learner"),
    )
    diploma = models.ForeignKey(
        "catalogue.Diploma",
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("diploma version"),
    )
    # The diploma's code, kept here so that one award per code can be a constraint.
    diploma_code = models.CharField(_("diploma"), max_length=30)
    session = models.ForeignKey(
        JurySession, on_delete=models.PROTECT, related_name="awards", verbose_name=_("jury session")
    )
    candidate = models.OneToOneField(
        Candidate, on_delete=models.PROTECT, related_name="award", verbose_name=_("candidate")
    )
    awarded_on = models.DateField(_("awarded on"))
    centre = models.ForeignKey(
        "catalogue.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("awarding centre"),
    )
    average = models.DecimalField(
        _("weighted average"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    honours = models.CharField(
        _("honours"), max_length=12, choices=Honours.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.AWARDED
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("awarded diploma")
        verbose_name_plural = _("awarded diplomas")
        ordering = ["-awarded_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "diploma_code"],
                condition=models.Q(status="awarded"),
                name="awarded_diploma_once_per_learner",
                violation_error_message=_("The learner already holds this diploma."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="awarded", revoked_at__isnull=True)
                | models.Q(status="revoked", revoked_at__isnull=False),
                name="awarded_diploma_revocation_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class DiplomaCounter(models.Model):
    """The last sequence number given for one diploma in one year; locked to give the next."""

    year = models.PositiveSmallIntegerField(_("year"))
    diploma_code = models.CharField(_("diploma"), max_length=30)
    last_sequence = models.PositiveIntegerField(_("last sequence"), default=0)

    class Meta:
        verbose_name = _("diploma counter")
        verbose_name_plural = _("diploma counters")
        constraints = [
            models.UniqueConstraint(fields=["year", "diploma_code"], name="diploma_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.diploma_code}: {self.last_sequence}"


class StatusEntry(models.Model):
    """The bit of a status list that says whether an awarded diploma's credential is revoked.

    Given once, on the first issuance of the diploma's credential; the published list sets
    the bit of every revoked diploma.
    """

    award = models.OneToOneField(
        AwardedDiploma,
        on_delete=models.PROTECT,
        related_name="status_entry",
        verbose_name=_("awarded diploma"),
    )
    list_number = models.PositiveIntegerField(_("status list"))
    index = models.PositiveIntegerField(_("index in the list"))

    class Meta:
        verbose_name = _("status list entry")
        verbose_name_plural = _("status list entries")
        constraints = [
            models.UniqueConstraint(fields=["list_number", "index"], name="status_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.list_number}#{self.index}"
