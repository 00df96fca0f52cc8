"""Imports run off the request: the uploaded file, its dry run, its import and their progress."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cursus.core.models import TimeStampedModel, percent_done


class ImportStatus(models.TextChoices):
    """Where an uploaded file stands: checked first, then imported on confirmation."""

    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked: ready to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Refused: nothing imported")
    FAILED = "failed", _("Failed")


class ImportJob(TimeStampedModel):
    """One uploaded file, kept whole so that any worker can check and import it."""

    kind = models.CharField(_("kind"), max_length=12)
    file_name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"))
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    rows_total = models.PositiveIntegerField(_("rows to read"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.status})"

    @property
    def is_running(self) -> bool:
        """Tell whether a worker is (or will be) reading the file."""
        return self.status in {ImportStatus.CHECKING, ImportStatus.IMPORTING}

    @property
    def percent(self) -> int:
        """Return how far the current pass has gone, in whole percent."""
        return percent_done(self.rows_done, self.rows_total, complete=not self.is_running)

    @property
    def problems(self) -> list[dict[str, Any]]:
        """Return the problems of the last pass."""
        return list(self.report.get("problems", []))

    @property
    def counts(self) -> list[tuple[str, dict[str, int]]]:
        """Return the counts of the last pass, by kind of row."""
        return sorted(dict(self.report.get("counts", {})).items())
