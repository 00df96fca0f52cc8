"""Learners, employers, registrations, enrolments, training agreements and contracts, funding."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cursus.core.identifiers import validate_ine, validate_siret
from cursus.core.models import TimeStampedModel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Employer(TimeStampedModel):
    """An employer establishment, identified by its SIRET."""

    name = models.CharField(_("name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])
    address = models.TextField(_("address"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    sector = models.CharField(_("sector"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Learner(TimeStampedModel):
    """An adult learner's file, kept by their home centre and open to every centre.

    No field here is ever used to select: admission to units is open.
    """

    number = models.CharField(_("learner number"), max_length=12, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learner",
        verbose_name=_("account"),
    )
    ine = models.CharField(
        _("INE (national student number)"),
        max_length=11,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_ine],
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)
    profession = models.CharField(_("profession"), max_length=150, blank=True)
    sector = models.CharField(_("sector of activity"), max_length=150, blank=True)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("employer"),
    )
    home_centre = models.ForeignKey(
        "catalogue.Centre",
        on_delete=models.PROTECT,
        related_name="home_learners",
        verbose_name=_("home centre"),
    )

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        ordering = ["last_name", "first_name", "number"]
        indexes = [models.Index(fields=["home_centre", "last_name"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.number})"

    def get_absolute_url(self) -> str:
        return reverse("web:learner", kwargs={"number": self.number})

    @property
    def full_name(self) -> str:
        """Return the learner's name as printed: first name, then last name."""
        return f"{self.first_name} {self.last_name}"


# Money is kept in euros, to the cent.
MONEY_DIGITS = 10
MONEY_PLACES = 2


def _money(verbose_name: "StrOrPromise", **options: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(
        verbose_name,
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=[MinValueValidator(Decimal("0"))],
        **options,
    )


class Rate(models.TextChoices):
    """The rate a learner pays for a year: full, reduced, or the rate charged to employers."""

    FULL = "full", _("Full rate")
    REDUCED = "reduced", _("Reduced rate")
    EMPLOYER = "employer", _("Employer rate")


class TariffBasis(models.TextChoices):
    """What the teaching fee counts: units, or their ECTS credits."""

    PER_UNIT = "per_unit", _("Per unit")
    PER_ECTS = "per_ects", _("Per ECTS credit")


class Tariff(TimeStampedModel):
    """The fees of an academic year, for one centre or for every centre without its own."""

    academic_year = models.ForeignKey(
        "catalogue.AcademicYear",
        on_delete=models.PROTECT,
        related_name="tariffs",
        verbose_name=_("academic year"),
    )
    centre = models.ForeignKey(
        "catalogue.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tariffs",
        verbose_name=_("centre"),
        help_text=_("Leave empty for the tariff of every centre that has none of its own."),
    )
    basis = models.CharField(_("basis"), max_length=10, choices=TariffBasis.choices)
    registration_fee = _money(
        _("registration fee"), help_text=_("Paid once a year, whatever the units.")
    )
    full_amount = _money(_("full rate"), help_text=_("Per unit or per ECTS credit."))
    reduced_amount = _money(_("reduced rate"), help_text=_("Per unit or per ECTS credit."))
    employer_amount = _money(_("employer rate"), help_text=_("Per unit or per ECTS credit."))

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["-academic_year__start_year", "centre__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "centre"],
                condition=models.Q(centre__isnull=False),
                name="tariff_year_centre_unique",
            ),
            models.UniqueConstraint(
                fields=["academic_year"],
                condition=models.Q(centre__isnull=True),
                name="tariff_year_default_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(registration_fee__gte=0)
                & models.Q(full_amount__gte=0)
                & models.Q(reduced_amount__gte=0)
                & models.Q(employer_amount__gte=0),
                name="tariff_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        where = self.centre.name if self.centre is not None else _("every centre")
        return f"{self.academic_year} · {where}"

    def amount(self, rate: str) -> Decimal:
        """Return the amount per unit or per ECTS credit at a rate."""
        amounts = {
            Rate.FULL: self.full_amount,
            Rate.REDUCED: self.reduced_amount,
            Rate.EMPLOYER: self.employer_amount,
        }
        return Decimal(amounts[Rate(rate)])

    def charge(self, rate: str, ects: int) -> Decimal:
        """Return the teaching fee of one unit carrying these credits, at a rate."""
        amount = self.amount(rate)
        return amount * ects if self.basis == TariffBasis.PER_ECTS else amount


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(TimeStampedModel):
    """A learner's registration for an academic year (inscription administrative), at a centre.

    Never a selection step: it opens the year's enrolments, in units at any centre.
    Its fee is the tariff's registration fee and the teaching fees of the year's
    enrolments that no agreement or contract prices; the funding shares always add
    up to it.
    """

    learner = models.ForeignKey(
        Learner, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("learner")
    )
    academic_year = models.ForeignKey(
        "catalogue.AcademicYear",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("academic year"),
    )
    centre = models.ForeignKey(
        "catalogue.Centre",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("centre"),
    )
    rate = models.CharField(_("rate"), max_length=10, choices=Rate.choices, default=Rate.FULL)
    tariff = models.ForeignKey(
        Tariff, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("tariff")
    )
    fee = _money(_("fee"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-academic_year__start_year", "learner__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "academic_year"],
                condition=models.Q(status="registered"),
                name="one_registration_per_learner_and_year",
                violation_error_message=_("The learner is already registered for this year."),
            ),
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="registration_fee_set"),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | models.Q(cancelled_at__isnull=False),
                name="cancelled_registration_has_date",
            ),
        ]
        indexes = [models.Index(fields=["centre", "academic_year"])]

    def __str__(self) -> str:
        return f"{self.learner} · {self.academic_year} · {self.centre}"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to the employer")
    SIGNED_BY_EMPLOYER = "signed_by_employer", _("Signed by the employer")
    SIGNED_BY_INSTITUTION = "signed_by_institution", _("Signed by both parties")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingTerms(TimeStampedModel):
    """What the law requires a training contract to state: title, objective, content,
    duration, assessment and price."""

    title = models.CharField(_("title"), max_length=200)
    objective = models.TextField(_("objective"))
    content = models.TextField(_("content"))
    hours = models.PositiveIntegerField(_("duration (hours)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    assessment = models.TextField(_("assessment"))
    price = _money(_("price"))

    class Meta:
        abstract = True


class TrainingAgreement(TrainingTerms):
    """A training agreement (convention de formation) with an employer, for a learner's courses.

    Daytime courses, on work time, need one signed by both parties.
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("employer")
    )
    employer_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agreements_as_contact",
        verbose_name=_("employer contact"),
    )
    learner = models.ForeignKey(
        Learner, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("learner")
    )
    centre = models.ForeignKey(
        "catalogue.Centre",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("centre"),
        help_text=_("The centre that signs for the institution."),
    )
    academic_year = models.ForeignKey(
        "catalogue.AcademicYear",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("academic year"),
    )
    offerings = models.ManyToManyField(
        "catalogue.Offering", related_name="agreements", verbose_name=_("offerings")
    )
    status = models.CharField(
        _("status"), max_length=25, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    employer_signed_at = models.DateTimeField(_("signed by the employer at"), null=True, blank=True)
    employer_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed for the employer by"),
    )
    institution_signed_at = models.DateTimeField(
        _("signed by the institution at"), null=True, blank=True
    )
    institution_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed for the institution by"),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("training agreement")
        verbose_name_plural = _("training agreements")
        ordering = ["-academic_year__start_year", "number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="agreement_price_set"),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="agreement_hours_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "cancelled"])
                | models.Q(sent_at__isnull=False),
                name="agreement_sent_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    status__in=["signed_by_employer", "signed_by_institution", "completed"]
                )
                | models.Q(employer_signed_at__isnull=False, employer_signed_by__isnull=False),
                name="agreement_employer_signature_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["signed_by_institution", "completed"])
                | models.Q(
                    institution_signed_at__isnull=False, institution_signed_by__isnull=False
                ),
                name="agreement_institution_signature_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(completed_at__isnull=False),
                name="agreement_completion_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | models.Q(cancelled_at__isnull=False),
                name="agreement_cancellation_has_date",
            ),
        ]
        indexes = [models.Index(fields=["employer", "status"])]

    def __str__(self) -> str:
        return f"{self.number} · {self.employer} · {self.learner.full_name}"

    @property
    def signed(self) -> bool:
        """Tell whether both parties have signed and the agreement is still in force."""
        return self.status == AgreementStatus.SIGNED_BY_INSTITUTION


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    WITHDRAWN = "withdrawn", _("Withdrawn within the withdrawal period")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingContract(TrainingTerms):
    """An individual training contract (contrat de formation professionnelle) with a learner
    who pays for their own courses.

    Within the withdrawal period (ten days from signing) the learner may withdraw
    without paying anything; afterwards the price is due.
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    learner = models.ForeignKey(
        Learner, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("learner")
    )
    centre = models.ForeignKey(
        "catalogue.Centre",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("centre"),
    )
    academic_year = models.ForeignKey(
        "catalogue.AcademicYear",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("academic year"),
    )
    offerings = models.ManyToManyField(
        "catalogue.Offering", related_name="contracts", verbose_name=_("offerings")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature recorded by"),
    )
    withdrawal_ends_on = models.DateField(
        _("withdrawal period ends on"),
        null=True,
        blank=True,
        help_text=_("The last day on which the learner may withdraw without paying."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("individual training contract")
        verbose_name_plural = _("individual training contracts")
        ordering = ["-academic_year__start_year", "number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="contract_price_set"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="contract_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["signed", "withdrawn"])
                | models.Q(signed_at__isnull=False, withdrawal_ends_on__isnull=False),
                name="contract_signature_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | models.Q(withdrawn_at__isnull=False),
                name="contract_withdrawal_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | models.Q(cancelled_at__isnull=False),
                name="contract_cancellation_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.learner.full_name}"


class Payer(models.TextChoices):
    """Who pays a share of a fee or of an agreement's price."""

    LEARNER = "learner", _("The learner")
    EMPLOYER = "employer", _("The employer")
    OPCO = "opco", _("An OPCO (skills operator)")
    CPF = "cpf", _("The CPF (personal training account)")
    OTHER = "other", _("Another funder")


class FundingShare(models.Model):
    """What one payer pays of a registration's fee or of an agreement's price."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="funding",
        verbose_name=_("registration"),
    )
    agreement = models.ForeignKey(
        TrainingAgreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="funding",
        verbose_name=_("training agreement"),
    )
    payer = models.CharField(_("payer"), max_length=10, choices=Payer.choices)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_shares",
        verbose_name=_("employer"),
    )
    funder = models.CharField(
        _("funder"), max_length=150, blank=True, help_text=_("The OPCO's or the funder's name.")
    )
    amount = _money(_("amount"))

    class Meta:
        verbose_name = _("funding share")
        verbose_name_plural = _("funding shares")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration__isnull=False, agreement__isnull=True)
                | models.Q(registration__isnull=True, agreement__isnull=False),
                name="funding_share_funds_one_thing",
            ),
            models.CheckConstraint(
                condition=(models.Q(payer="employer") & models.Q(employer__isnull=False))
                | (~models.Q(payer="employer") & models.Q(employer__isnull=True)),
                name="funding_share_employer_named_for_employer",
            ),
            models.CheckConstraint(
                condition=~models.Q(payer__in=["opco", "other"]) | ~models.Q(funder=""),
                name="funding_share_funder_named",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="funding_share_amount"),
        ]
        indexes = [models.Index(fields=["payer", "employer"]), models.Index(fields=["payer"])]

    def __str__(self) -> str:
        return f"{self.payer_label}: {self.amount} €"

    @property
    def payer_label(self) -> str:
        """Return who pays, by name where the payer has one."""
        if self.employer is not None:
            return self.employer.name
        return self.funder or str(self.get_payer_display())


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("On the waitlist")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


# An enrolment holds a place, or a place in the queue, in these statuses.
ACTIVE_STATUSES = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED)


class Enrolment(TimeStampedModel):
    """A learner's enrolment in an offering (inscription pédagogique), or their place in its
    waitlist.

    The unit and term repeat the offering's so that the database itself refuses a
    second active enrolment of a learner in a unit in a term, at any centre. The
    waitlist is served in the order of ids, which are drawn while the offering's
    row is locked, that is in order of arrival.
    """

    # The learner, the offering and the term lead the composite indexes below, which
    # serve their lookups: they need no index of their own to keep up on every insert.
    learner = models.ForeignKey(
        Learner,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("learner"),
        db_index=False,
    )
    offering = models.ForeignKey(
        "catalogue.Offering",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("offering"),
        db_index=False,
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("registration"),
    )
    unit = models.ForeignKey(
        "catalogue.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("unit"),
    )
    term = models.ForeignKey(
        "catalogue.Term",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("term"),
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices)
    agreement = models.ForeignKey(
        TrainingAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("training agreement"),
    )
    contract = models.ForeignKey(
        TrainingContract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("individual training contract"),
    )
    fee = _money(
        _("teaching fee"),
        default=Decimal("0"),
        help_text=_(
            "Charged with the registration; nothing when an agreement or contract prices it."
        ),
    )
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=100,
        blank=True,
        help_text=_("Sent by the client so that a repeated request enrols once."),
    )
    enrolled_at = models.DateTimeField(_("place given at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("withdrawn or cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "unit", "term"],
                condition=models.Q(status__in=["enrolled", "waitlisted"]),
                name="one_active_enrolment_per_unit_and_term",
                violation_error_message=_(
                    "The learner is already enrolled, or waiting, in this unit this term."
                ),
            ),
            models.UniqueConstraint(
                fields=["learner", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="enrolment_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="enrolled") | models.Q(enrolled_at__isnull=False),
                name="enrolled_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["withdrawn", "cancelled"])
                | models.Q(ended_at__isnull=False),
                name="ended_enrolment_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(agreement__isnull=True) | models.Q(contract__isnull=True),
                name="enrolment_priced_once",
            ),
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="enrolment_fee_set"),
        ]
        indexes = [
            models.Index(fields=["offering", "status"]),
            models.Index(fields=["learner", "term"]),
            # The statistics of a year read its terms' enrolments by status.
            models.Index(fields=["term", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.offering_id} · {self.get_status_display()}"

    @property
    def active(self) -> bool:
        """Tell whether the enrolment holds a place or a place in the waitlist."""
        return self.status in ACTIVE_STATUSES
