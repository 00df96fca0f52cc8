"""Diploma requests, jury sessions and their candidates, awarded diplomas and their numbering."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cursus.core.models import TimeStampedModel, percent_done


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
        # The statistics count a year's awards by date.
        indexes = [models.Index(fields=["awarded_on"])]

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


class UnitCredentialStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")


class UnitCredential(models.Model):
    """A verifiable credential issued, on request, for one capitalised unit of a learner.

    Issued once per learner and unit (again only after a revocation), with its own bit in
    the units' revocation status lists. It is revoked by the registrar with a reason, and
    counts as revoked as soon as the learner no longer holds the unit (its acquisition is
    gone).
    """

    public_id = models.UUIDField(_("public identifier"), unique=True, default=uuid.uuid4)
    learner = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="unit_credentials",
        verbose_name=_("learner"),
    )
    unit_code = models.CharField(_("unit"), max_length=20)
    acquisition = models.ForeignKey(
        "records.Acquisition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acquisition"),
    )
    # What the credential states, as it stood when issued: its signed document is rebuilt
    # from this, so it stays the same whatever later happens to the record.
    content = models.JSONField(_("content"), default=dict)
    list_number = models.PositiveIntegerField(_("status list"))
    index = models.PositiveIntegerField(_("index in the list"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=UnitCredentialStatus.choices,
        default=UnitCredentialStatus.ISSUED,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("unit credential")
        verbose_name_plural = _("unit credentials")
        ordering = ["learner", "unit_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "unit_code"],
                condition=models.Q(status="issued"),
                name="unit_credential_once_per_unit",
                violation_error_message=_("A credential was already issued for this unit."),
            ),
            models.UniqueConstraint(
                fields=["list_number", "index"], name="unit_credential_status_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} {self.unit_code} ({self.status})"

    @property
    def is_revoked(self) -> bool:
        """Tell whether the credential is revoked, or its unit no longer held."""
        return self.status == UnitCredentialStatus.REVOKED or self.acquisition_id is None


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class IssuanceBatch(models.Model):
    """The issuance of a jury session's diploma documents, run as a background task."""

    session = models.ForeignKey(
        JurySession,
        on_delete=models.CASCADE,
        related_name="issuance_batches",
        verbose_name=_("jury session"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("diplomas to issue"), default=0)
    done = models.PositiveIntegerField(_("diplomas issued"), default=0)
    documents = models.PositiveIntegerField(_("documents issued"), default=0)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("issuance batch")
        verbose_name_plural = _("issuance batches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(status__in=["queued", "running"]),
                name="issuance_batch_one_under_way",
                violation_error_message=_("The documents of this session are being issued."),
            )
        ]

    def __str__(self) -> str:
        return f"issuance {self.pk} of session {self.session_id} ({self.status})"

    @property
    def percent(self) -> int:
        """Return how far the batch has gone, in whole percent."""
        return percent_done(self.done, self.total, complete=self.status == BatchStatus.DONE)

    @property
    def is_finished(self) -> bool:
        """Tell whether the batch is over, done or failed."""
        return self.status in {BatchStatus.DONE, BatchStatus.FAILED}


class DiplomaDocumentKind(models.TextChoices):
    PARCHMENT = "parchment", _("Parchment")
    SUPPLEMENT = "supplement", _("Diploma supplement")
    CREDENTIAL = "credential", _("Verifiable credential")


class DiplomaDocument(models.Model):
    """A document of an awarded diploma, kept as issued: parchment, supplement or credential."""

    award = models.ForeignKey(
        AwardedDiploma,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("awarded diploma"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DiplomaDocumentKind.choices)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("diploma document")
        verbose_name_plural = _("diploma documents")
        ordering = ["award", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "kind"],
                name="diploma_document_once_per_kind",
                violation_error_message=_("This document of the diploma is already issued."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.award_id} {self.kind}"
