"""Learners and the employers they work for."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cursus.core.identifiers import validate_ine, validate_siret
from cursus.core.models import TimeStampedModel


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
