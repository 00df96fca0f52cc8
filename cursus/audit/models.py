"""The diplomas learners aim at, and the institution-wide audits and their results."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cursus.core.models import TimeStampedModel, percent_done


class Pursuit(TimeStampedModel):
    """A diploma a learner aims at, from the day they started towards it.

    The diploma is named by its code, not one version: the learner is audited
    against the version in force on ``started_on`` or any later one.
    """

    learner = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.CASCADE,
        related_name="pursuits",
        verbose_name=_("learner"),
    )
    diploma_code = models.CharField(_("diploma"), max_length=30)
    started_on = models.DateField(_("started on"))

    class Meta:
        verbose_name = _("diploma pursued")
        verbose_name_plural = _("diplomas pursued")
        ordering = ["learner", "started_on", "diploma_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "diploma_code"],
                name="pursuit_once_per_diploma",
                violation_error_message=_("The learner already pursues this diploma."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} → {self.diploma_code} ({self.started_on})"


class AuditRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AuditRun(models.Model):
    """One audit of the whole institution, run as a background task; its progress."""

    status = models.CharField(
        _("status"), max_length=10, choices=AuditRunStatus.choices, default=AuditRunStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    learners_total = models.PositiveIntegerField(_("learners to audit"), default=0)
    learners_done = models.PositiveIntegerField(_("learners audited"), default=0)
    audits = models.PositiveIntegerField(_("audits made"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("institution audit")
        verbose_name_plural = _("institution audits")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"audit run {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        """Return how far the run has gone, in whole percent."""
        return percent_done(
            self.learners_done, self.learners_total, complete=self.status == AuditRunStatus.DONE
        )

    @property
    def is_finished(self) -> bool:
        """Tell whether the run is over, done or failed."""
        return self.status in {AuditRunStatus.DONE, AuditRunStatus.FAILED}


class AuditSnapshot(models.Model):
    """One learner against one diploma version, as an institution audit found them."""

    run = models.ForeignKey(
        AuditRun, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("audit")
    )
    learner = models.ForeignKey(
        "enrolment.Learner", on_delete=models.CASCADE, related_name="+", verbose_name=_("learner")
    )
    diploma = models.ForeignKey(
        "catalogue.Diploma", on_delete=models.CASCADE, related_name="+", verbose_name=_("diploma")
    )
    pursued = models.BooleanField(
        _("pursued"), help_text=_("Aimed at by the learner, rather than among their closest.")
    )
    satisfied = models.BooleanField(_("satisfied"))
    ects = models.FloatField(_("ECTS counted"))
    remaining_ects = models.FloatField(_("ECTS remaining"))
    remaining_units = models.PositiveIntegerField(_("units remaining"))
    remaining_milestones = models.PositiveIntegerField(_("milestones remaining"))

    class Meta:
        verbose_name = _("audit snapshot")
        verbose_name_plural = _("audit snapshots")
        ordering = ["run", "learner", "remaining_ects"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "learner", "diploma"], name="snapshot_once_per_run"
            )
        ]
        indexes = [models.Index(fields=["run", "diploma", "satisfied"])]

    def __str__(self) -> str:
        return f"{self.learner_id} × {self.diploma_id}: {self.satisfied}"
