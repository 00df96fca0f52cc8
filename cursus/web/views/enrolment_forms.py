"""The shape of what the enrolment pages accept; the rules themselves are the actions'."""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cursus.catalogue.models import Centre, Offering
from cursus.enrolment.actions import FundingSpec
from cursus.enrolment.models import Payer, Rate

TEXT_AREA = {"rows": 3}


class RegistrationForm(forms.Form):
    """A learner's registration for the year: where, and (for staff) at what rate."""

    centre = forms.ChoiceField(label=_("Centre"))
    rate = forms.ChoiceField(label=_("Rate"), choices=Rate.choices, initial=Rate.FULL)

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, centres: Iterable[Centre], staff: bool
    ) -> None:
        super().__init__(data)
        field = self.fields["centre"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(c.code, c.name) for c in centres]
        if not staff:
            del self.fields["rate"]


class LearnerNumberForm(forms.Form):
    """Name a learner by their number (centre staff acting on a learner's behalf)."""

    learner = forms.CharField(
        label=_("Learner number"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ReasonForm(forms.Form):
    """Why something is withdrawn or cancelled (optional, kept in the log)."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class TrainingTermsForm(forms.Form):
    """What an agreement or a contract states of the training, beside its units."""

    offerings = forms.MultipleChoiceField(
        label=_("Units covered"), widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    objective = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs=TEXT_AREA))
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs=TEXT_AREA))
    assessment = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs=TEXT_AREA))

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        offerings: Iterable[Offering],
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=dict(initial or {}))
        field = self.fields["offerings"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (
                str(o.pk),
                (
                    f"{o.unit.code} · {o.unit.title} — {o.term.label}, {o.centre.name}, "
                    f"{o.get_formula_display()}"
                ),
            )
            for o in offerings
        ]

    def offering_ids(self) -> list[int]:
        """Return the ids of the offerings ticked."""
        return [int(value) for value in self.cleaned_data["offerings"]]


class AgreementForm(TrainingTermsForm):
    """A new training agreement with the learner's employer."""

    employer = forms.CharField(
        label=_("Employer's SIRET"),
        max_length=20,
        help_text=_("14 digits; the employer must be known to the institution."),
    )
    employer_contact = forms.EmailField(
        label=_("Employer contact's e-mail"),
        help_text=_("The person who signs for the employer, from their own pages."),
    )
    price = forms.CharField(
        label=_("Price (€)"),
        required=False,
        max_length=20,
        help_text=_("Leave empty for the units' fees at the employer rate."),
    )
    opco = forms.CharField(
        label=_("OPCO paying a share"),
        required=False,
        max_length=150,
        help_text=_("Leave empty when the employer pays everything."),
    )
    opco_amount = forms.CharField(label=_("OPCO's share (€)"), required=False, max_length=20)
    employer_amount = forms.CharField(
        label=_("Employer's share (€)"), required=False, max_length=20
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opco") and not data.get("opco_amount"):
            self.add_error("opco_amount", _("Give the OPCO's share."))
        if data.get("opco_amount") and not data.get("opco"):
            self.add_error("opco", _("Name the OPCO."))
        return data

    def funding(self) -> list[FundingSpec]:
        """Return the funding split entered, empty when the employer pays everything."""
        data = self.cleaned_data
        if not data.get("opco"):
            return []
        return [
            FundingSpec(
                payer=Payer.EMPLOYER,
                amount=data.get("employer_amount") or "0",
                employer=data["employer"],
            ),
            FundingSpec(payer=Payer.OPCO, amount=data["opco_amount"], funder=data["opco"]),
        ]

    @staticmethod
    def field_of(key: str) -> str:
        """Return the form field an action's error about the funding split belongs to."""
        if key.startswith("funding[0]"):
            return "employer_amount"
        if key.startswith("funding[1]"):
            return "opco" if key.endswith(".funder") else "opco_amount"
        return "__all__" if key == "funding" else key
