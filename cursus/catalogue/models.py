"""The organisation and what it teaches: departments, centres, units, diplomas, offerings."""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cursus.core.models import TimeStampedModel

# Course units: three letters and three digits (NFA008). Activity units start
# with UA and carry an alphanumeric suffix (UASI05, UAAL0T).
UNIT_CODE_PATTERN = r"^(?:[A-Z]{3}[0-9]{3}|UA[A-Z0-9]{3,6})$"
unit_code_validator = RegexValidator(
    UNIT_CODE_PATTERN,
    _(
        "A unit code is three capital letters and three digits (NFA008), or UA and 3 to 6 "
        "letters or digits for an activity unit (UASI05)."
    ),
    code="invalid_unit_code",
)
slug_code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$",
    _("Use lower-case letters, digits and hyphens."),
    code="invalid_code",
)


class Bilingual(models.Model):
    """A model with a French and an English title, shown in the active language."""

    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        """Return the title in the active language, falling back to French."""
        if (get_language() or "fr").startswith("en") and self.title_en:
            return self.title_en
        return self.title_fr


class Department(TimeStampedModel):
    """One of the teaching departments (informatique, économie et gestion…)."""

    slug = models.CharField(_("code"), max_length=60, unique=True, validators=[slug_code_validator])
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name_fr"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Return the name in the active language."""
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class CentreKind(models.TextChoices):
    SEAT = "seat", _("Seat (Paris)")
    REGIONAL = "regional", _("Regional centre")
    ABROAD = "abroad", _("Centre abroad")


class Centre(TimeStampedModel):
    """A place that registers learners and teaches: the Paris seat, a regional centre, abroad."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[slug_code_validator])
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=CentreKind.choices)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        default="FR",
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter ISO country code."))],
    )
    time_zone = models.CharField(_("time zone"), max_length=60, default="Europe/Paris")
    address = models.TextField(_("address"), blank=True)

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:centre", kwargs={"code": self.code})


class Institute(TimeStampedModel):
    """A sector institute (Intec, Enjmin…), teaching at some centres."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[slug_code_validator])
    name = models.CharField(_("name"), max_length=150)
    sector = models.CharField(_("sector"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    centres = models.ManyToManyField(
        Centre, related_name="institutes", blank=True, verbose_name=_("centres")
    )

    class Meta:
        verbose_name = _("institute")
        verbose_name_plural = _("institutes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    COURSE = "course", _("Course unit")
    ACTIVITY = "activity", _("Activity unit")


class Unit(Bilingual, TimeStampedModel):
    """A unit of teaching (UE) carrying ECTS credits, capitalised for life once acquired."""

    code = models.CharField(_("code"), max_length=9, unique=True, validators=[unit_code_validator])
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="units", verbose_name=_("department")
    )
    ects = models.PositiveSmallIntegerField(_("ECTS credits"), validators=[MinValueValidator(1)])
    hours = models.PositiveSmallIntegerField(_("hours of teaching"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=UnitKind.choices, default=UnitKind.COURSE
    )
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    recommended_prior = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="recommended_before",
        blank=True,
        verbose_name=_("recommended prior units"),
        help_text=_("Advice only: admission to a unit is open."),
    )
    replaces = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="replaced_by",
        blank=True,
        verbose_name=_("replaces"),
        help_text=_("Older units that this unit succeeds; holding one counts as holding this."),
    )
    first_year = models.PositiveSmallIntegerField(_("first year taught"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("last year taught"), null=True, blank=True)
    # Lower-case, accent-free code, titles and description: searched the same way on
    # SQLite and PostgreSQL. Written by the catalogue actions.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ects__gt=0), name="unit_ects_positive"),
            models.CheckConstraint(
                condition=models.Q(last_year__isnull=True)
                | models.Q(first_year__isnull=True)
                | models.Q(last_year__gte=models.F("first_year")),
                name="unit_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("web:unit", kwargs={"code": self.code})

    @property
    def description(self) -> str:
        """Return the description in the active language, falling back to French."""
        if (get_language() or "fr").startswith("en") and self.description_en:
            return self.description_en
        return self.description_fr


class DiplomaKind(models.TextChoices):
    CERTIFICAT_COMPETENCE = "certificat-competence", _("Certificate of competence")
    CERTIFICAT_PROFESSIONNEL = "certificat-professionnel", _("Professional certificate")
    DEUST = "deust", _("DEUST")
    LICENCE = "licence", _("Licence (bachelor)")
    TITRE_RNCP = "titre-rncp", _("RNCP professional title")
    MASTER = "master", _("Master")
    INGENIEUR = "ingenieur", _("Engineering diploma")
    DPCT = "dpct", _("DPCT (historic)")
    DEST = "dest", _("DEST (historic)")


class Diploma(Bilingual, TimeStampedModel):
    """A diploma in one version of its rules: awarded for a combination of units."""

    code = models.CharField(
        _("code"),
        max_length=30,
        validators=[
            RegexValidator(r"^[A-Z0-9][A-Z0-9-]*$", _("Use capitals, digits and hyphens."))
        ],
    )
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=30, choices=DiplomaKind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="diplomas",
        null=True,
        blank=True,
        verbose_name=_("department"),
    )
    ects = models.PositiveSmallIntegerField(_("nominal ECTS"), null=True, blank=True)
    rules_text = models.TextField(_("rules"), help_text=_("The rules file, in the rules language."))
    first_year = models.PositiveSmallIntegerField(_("in force from"))
    last_year = models.PositiveSmallIntegerField(_("in force until"), null=True, blank=True)
    national_jury = models.BooleanField(
        _("national jury"),
        default=False,
        help_text=_("Awarded by a national jury, not a local one."),
    )
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        verbose_name = _("diploma")
        verbose_name_plural = _("diplomas")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="diploma_code_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.version}) — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("web:diploma", kwargs={"code": self.code, "version": self.version})

    @property
    def description(self) -> str:
        """Return the description in the active language, falling back to French."""
        if (get_language() or "fr").startswith("en") and self.description_en:
            return self.description_en
        return self.description_fr


class AcademicYear(models.Model):
    """An academic year, from September to August (2025–2026 starts in 2025)."""

    start_year = models.PositiveSmallIntegerField(_("first calendar year"), unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="year_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return the year as it is written, e.g. 2025–2026."""
        return f"{self.start_year}–{self.start_year + 1}"


class Term(models.Model):
    """A semester of an academic year, with its enrolment window and two exam sessions."""

    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.CASCADE, related_name="terms", verbose_name=_("year")
    )
    semester = models.PositiveSmallIntegerField(
        _("semester"), choices=[(1, _("Semester 1")), (2, _("Semester 2"))]
    )
    starts_on = models.DateField(_("teaching starts on"))
    ends_on = models.DateField(_("teaching ends on"))
    enrolment_opens_on = models.DateField(_("enrolment opens on"))
    enrolment_closes_on = models.DateField(_("enrolment closes on"))
    withdrawal_deadline = models.DateField(_("withdrawal deadline"))
    session1_starts_on = models.DateField(_("session 1 starts on"))
    session1_ends_on = models.DateField(_("session 1 ends on"))
    session2_starts_on = models.DateField(_("session 2 starts on"))
    session2_ends_on = models.DateField(_("session 2 ends on"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-academic_year__start_year", "-semester"]
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "semester"], name="term_year_semester_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="term_dates_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(enrolment_closes_on__gte=models.F("enrolment_opens_on")),
                name="term_enrolment_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(session1_ends_on__gte=models.F("session1_starts_on"))
                & models.Q(session2_starts_on__gt=models.F("session1_ends_on"))
                & models.Q(session2_ends_on__gte=models.F("session2_starts_on")),
                name="term_sessions_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def code(self) -> str:
        """Return the term's code, e.g. 2025-S1, used in URLs and the API."""
        return f"{self.academic_year.start_year}-S{self.semester}"

    @property
    def label(self) -> str:
        """Return the term as people say it, e.g. 2025–2026 S1."""
        return f"{self.academic_year.label} S{self.semester}"


class Formula(models.TextChoices):
    """How a unit is taught."""

    EVENING_SATURDAY = "evening_saturday", _("Evenings and Saturdays")
    DAYTIME = "daytime", _("Daytime, on work time")
    INSTITUTE = "institute", _("Institute")
    DISTANCE = "distance", _("Distance learning")


class TeachingLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class Offering(TimeStampedModel):
    """A unit taught in a term at a centre under a formula."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("unit")
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("term")
    )
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("centre")
    )
    formula = models.CharField(_("formula"), max_length=20, choices=Formula.choices)
    institute = models.ForeignKey(
        Institute,
        on_delete=models.PROTECT,
        related_name="offerings",
        null=True,
        blank=True,
        verbose_name=_("institute"),
    )
    section = models.CharField(
        _("section"), max_length=20, blank=True, help_text=_("Tells apart two groups of one unit.")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    language = models.CharField(
        _("language of teaching"),
        max_length=2,
        choices=TeachingLanguage.choices,
        default=TeachingLanguage.FRENCH,
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="taught_offerings",
        blank=True,
        verbose_name=_("teachers"),
    )
    published = models.BooleanField(
        _("published"), default=True, help_text=_("Unpublished offerings are forecasts.")
    )

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["term", "unit__code", "centre__name", "formula", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "term", "centre", "formula", "section"],
                name="offering_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="offering_capacity_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(formula="institute") | models.Q(institute__isnull=False),
                name="institute_offering_names_institute",
                violation_error_message=_("An institute offering must name its institute."),
            ),
        ]
        indexes = [models.Index(fields=["term", "centre", "formula"])]

    def __str__(self) -> str:
        return f"{self.unit.code} · {self.term} · {self.centre} · {self.get_formula_display()}"

    def get_absolute_url(self) -> str:
        return reverse("web:offering", kwargs={"pk": self.pk})


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OfferingSlot(models.Model):
    """A weekly class of an offering: a weekday, a start and an end time."""

    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="slots", verbose_name=_("offering")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("weekly slot")
        verbose_name_plural = _("weekly slots")
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="slot_ends_after_start",
                violation_error_message=_("A slot must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class OfferingBlock(models.Model):
    """A block of consecutive days of teaching (intensive or daytime formulas)."""

    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("offering")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("block of dates")
        verbose_name_plural = _("blocks of dates")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="block_ends_after_start",
                violation_error_message=_("A block must end on or after its first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


__all__ = [
    "UNIT_CODE_PATTERN",
    "AcademicYear",
    "Centre",
    "CentreKind",
    "Department",
    "Diploma",
    "DiplomaKind",
    "Formula",
    "Institute",
    "Offering",
    "OfferingBlock",
    "OfferingSlot",
    "Term",
    "Unit",
    "UnitKind",
    "Weekday",
]
