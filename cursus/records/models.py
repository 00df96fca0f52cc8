"""Results, validations, milestones, the ledger of acquisitions and the documents issued.

Results, validations and milestones are the facts, each change to them written
to the event log with its author; the ``Acquisition`` table is the ledger those
events add up to (see :mod:`cursus.records.ledger`), kept for fast reads and
checked against the log by ``cursus verify-log``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cursus.core.models import TimeStampedModel

MAX_GRADE = 20
PASS_GRADE = 10
grade_validators = [
    MinValueValidator(0, _("A grade cannot be below 0.")),
    MaxValueValidator(MAX_GRADE, _("A grade is out of 20: it cannot be above 20.")),
]


class ExamSession(models.IntegerChoices):
    """The two exam sessions of a term."""

    FIRST = 1, _("Session 1")
    SECOND = 2, _("Session 2")


class ResultStatus(models.TextChoices):
    """Whether the learner sat the exam."""

    GRADED = "graded", _("Graded")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Result(TimeStampedModel):
    """A learner's result in one exam session of an offering: a draft, then published."""

    enrolment = models.ForeignKey(
        "enrolment.Enrolment",
        on_delete=models.PROTECT,
        related_name="results",
        verbose_name=_("enrolment"),
    )
    session = models.PositiveSmallIntegerField(_("session"), choices=ExamSession.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ResultStatus.choices, default=ResultStatus.GRADED
    )
    grade = models.DecimalField(
        _("grade"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=grade_validators,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["enrolment", "session"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="result_once_a_session"),
            models.CheckConstraint(
                condition=models.Q(status="graded", grade__isnull=False)
                | (~models.Q(status="graded") & models.Q(grade__isnull=True)),
                name="result_grade_iff_graded",
                violation_error_message=_("A graded result has a grade; an absence has none."),
            ),
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True)
                | models.Q(grade__gte=0, grade__lte=MAX_GRADE),
                name="result_grade_out_of_20",
                violation_error_message=_("A grade is between 0 and 20."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} S{self.session}: {self.display_grade}"

    @property
    def is_published(self) -> bool:
        """Tell whether the result was published (it then changes only by correction)."""
        return self.published_at is not None

    @property
    def passed(self) -> bool:
        """Tell whether the result reaches 10/20."""
        return self.grade is not None and self.grade >= PASS_GRADE

    @property
    def display_grade(self) -> str:
        """Return the grade as written on a transcript, or the absence."""
        if self.grade is None:
            return str(self.get_status_display())
        return f"{self.grade:.2f}"


class ValidationSource(models.TextChoices):
    """How a unit is held without a passed exam."""

    VES = "ves", _("VES (validation of prior studies)")
    VAE = "vae", _("VAE (accreditation of experience)")
    DISPENSE = "dispense", _("Dispense")
    EQUIVALENCE = "equivalence", _("Equivalence")
    TRANSFER = "transfer", _("Transfer from another institution")


class Validation(TimeStampedModel):
    """A unit granted to a learner by a jury's decision, without a grade."""

    learner = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="validations",
        verbose_name=_("learner"),
    )
    unit = models.ForeignKey(
        "catalogue.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    source = models.CharField(_("source"), max_length=12, choices=ValidationSource.choices)
    diploma = models.ForeignKey(
        "catalogue.Diploma",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diploma aimed at"),
        help_text=_("Required for a VES or a VAE: the request is made towards a diploma."),
    )
    decision_reference = models.CharField(_("decision reference"), max_length=60)
    jury = models.CharField(_("jury"), max_length=200)
    decided_on = models.DateField(_("decided on"))
    centre = models.ForeignKey(
        "catalogue.Centre",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("centre"),
    )
    grounds = models.TextField(
        _("grounds"),
        blank=True,
        help_text=_("The studies, experience, former unit or institution the decision rests on."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("validation")
        verbose_name_plural = _("validations")
        ordering = ["learner", "decided_on", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "unit"],
                condition=models.Q(revoked_at__isnull=True),
                name="validation_once_per_unit",
                violation_error_message=_("This unit is already validated for this learner."),
            ),
            models.CheckConstraint(
                condition=~models.Q(source__in=["ves", "vae"]) | models.Q(diploma__isnull=False),
                name="validation_ves_vae_names_diploma",
                violation_error_message=_("A VES or a VAE is granted towards a diploma."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.source} {self.decision_reference}"

    @property
    def is_active(self) -> bool:
        """Tell whether the validation still grants its unit."""
        return self.revoked_at is None


class MilestoneKind(models.TextChoices):
    """Facts of the record other than units, read by diplomas' rules."""

    EXPERIENCE = "experience", _("Professional experience")
    LANGUAGE = "language", _("Language certificate")
    THESIS = "thesis", _("Thesis defended")
    ADMISSION = "admission", _("Admission exam passed")
    INTERNSHIP = "internship", _("Internship")


class CefrLevel(models.TextChoices):
    """The levels of the Common European Framework of Reference for Languages, in order."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class Milestone(TimeStampedModel):
    """A milestone of a learner's path, with the evidence that proves it."""

    learner = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="milestones",
        verbose_name=_("learner"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MilestoneKind.choices)
    achieved_on = models.DateField(_("date"))
    years = models.DecimalField(
        _("years of experience"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    in_field_years = models.DecimalField(
        _("years in the field"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    language = models.CharField(
        _("language"), max_length=2, blank=True, help_text=_("Two-letter code, e.g. en.")
    )
    level = models.CharField(_("CEFR level"), max_length=2, choices=CefrLevel.choices, blank=True)
    test = models.CharField(_("test"), max_length=80, blank=True, help_text=_("e.g. TOEIC, IELTS"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    evidence = models.CharField(
        _("evidence"),
        max_length=200,
        help_text=_("The document that proves it: certificate number, minutes, employer letter."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["learner", "achieved_on", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="experience")
                | models.Q(years__isnull=False, in_field_years__isnull=False),
                name="milestone_experience_has_years",
                violation_error_message=_(
                    "Experience states its years, and its years in the field."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(years__isnull=True)
                | models.Q(in_field_years__isnull=True)
                | models.Q(in_field_years__lte=models.F("years")),
                name="milestone_field_within_experience",
                violation_error_message=_("Years in the field cannot exceed years of experience."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="language")
                | (~models.Q(language="") & ~models.Q(level="")),
                name="milestone_language_has_level",
                violation_error_message=_("A language certificate states the language and level."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.achieved_on})"

    @property
    def is_active(self) -> bool:
        """Tell whether the milestone still counts."""
        return self.withdrawn_at is None


class Acquisition(models.Model):
    """A unit a learner holds: the ledger's entry, best attempt first.

    Derived from the events of results and validations by
    :func:`cursus.records.ledger.replay`, and rewritten only by the actions that
    write those events.
    """

    learner = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="acquisitions",
        verbose_name=_("learner"),
    )
    unit = models.ForeignKey(
        "catalogue.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    grade = models.DecimalField(
        _("best grade"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=12)
    acquired_on = models.DateField(_("acquired on"))
    centre = models.ForeignKey(
        "catalogue.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    result = models.ForeignKey(
        Result, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validation = models.ForeignKey(
        Validation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("acquisition")
        verbose_name_plural = _("acquisitions")
        ordering = ["learner", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "unit"], name="acquisition_once_per_unit"),
            models.CheckConstraint(
                condition=models.Q(result__isnull=False) | models.Q(validation__isnull=False),
                name="acquisition_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} {self.unit_id} {self.grade or self.source}"


class DocumentKind(models.TextChoices):
    TRANSCRIPT = "transcript", _("Transcript")
    ATTESTATION = "attestation", _("Attestation of success")


class IssuedDocument(models.Model):
    """A transcript or attestation as issued: its content, fingerprint and verification token."""

    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    learner = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("learner"),
    )
    unit = models.ForeignKey(
        "catalogue.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    token = models.CharField(_("verification token"), max_length=64, unique=True, editable=False)
    digest = models.CharField(_("digest"), max_length=64, editable=False)
    content = models.JSONField(_("content"), editable=False)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["learner", "kind", "digest"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.token[:8]}…"
