"""The shape of what the enrolment pages accept; the rules themselves are the actions'."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cursus.catalogue.models import Centre, Offering
from cursus.enrolment.actions import FundingSpec
from cursus.enrolment.models import FundingShare, Payer, Rate

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


class FundingForm(forms.Form):
    """Who pays a registration's fee: one amount per payer, the shares adding up to the fee."""

    learner_amount = forms.CharField(label=_("The learner (€)"), required=False, max_length=20)
    cpf_amount = forms.CharField(
        label=_("The CPF, personal training account (€)"), required=False, max_length=20
    )
    employer = forms.CharField(
        label=_("Employer's SIRET"),
        required=False,
        max_length=20,
        help_text=_("14 digits; the employer must be known to the institution."),
    )
    employer_amount = forms.CharField(
        label=_("Employer's share (€)"), required=False, max_length=20
    )
    opco = forms.CharField(label=_("OPCO paying a share"), required=False, max_length=150)
    opco_amount = forms.CharField(label=_("OPCO's share (€)"), required=False, max_length=20)
    other = forms.CharField(label=_("Another funder"), required=False, max_length=150)
    other_amount = forms.CharField(
        label=_("Other funder's share (€)"), required=False, max_length=20
    )

    # Each payer: its amount field and the field naming it (employer or funder), if any.
    PAYERS = (
        (Payer.LEARNER, "learner_amount", ""),
        (Payer.CPF, "cpf_amount", ""),
        (Payer.EMPLOYER, "employer_amount", "employer"),
        (Payer.OPCO, "opco_amount", "opco"),
        (Payer.OTHER, "other_amount", "other"),
    )

    def __init__(self, *args: Any, shares: Sequence[FundingShare] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for share in shares:
            for payer, amount_field, name_field in self.PAYERS:
                if share.payer == payer:
                    self.initial[amount_field] = share.amount
                    if payer == Payer.EMPLOYER and share.employer is not None:
                        self.initial[name_field] = share.employer.siret
                    elif name_field:
                        self.initial[name_field] = share.funder
        self._fields_of: list[tuple[str, str]] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for _payer, amount_field, name_field in self.PAYERS:
            if name_field and data.get(name_field) and not data.get(amount_field):
                self.add_error(amount_field, _("Give this payer's share."))
            if name_field and data.get(amount_field) and not data.get(name_field):
                self.add_error(name_field, _("Name this payer."))
        return data

    def funding(self) -> list[FundingSpec]:
        """Return one share per payer given an amount, remembering which fields it came from."""
        data = self.cleaned_data
        specs: list[FundingSpec] = []
        self._fields_of = []
        for payer, amount_field, name_field in self.PAYERS:
            amount = data.get(amount_field, "").strip()
            if not amount:
                continue
            name = data.get(name_field, "").strip() if name_field else ""
            specs.append(
                FundingSpec(
                    payer=payer,
                    amount=amount,
                    employer=name if payer == Payer.EMPLOYER else None,
                    funder="" if payer == Payer.EMPLOYER else name,
                )
            )
            self._fields_of.append((amount_field, name_field or amount_field))
        return specs

    def field_of(self, key: str) -> str:
        """Return the form field an action's error about the funding belongs to."""
        name, _bracket, rest = key.partition("[")
        index_text, _close, attribute = rest.partition("]")
        if name != "funding" or not index_text.isdigit():
            return "__all__" if key == "funding" else key
        amount_field, name_field = self._fields_of[int(index_text)]
        return amount_field if attribute in ("", ".amount", ".payer") else name_field
