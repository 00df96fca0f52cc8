"""The shape of what pages accept; the rules themselves are the actions'."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.forms import BaseForm, BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from cursus.catalogue.models import (
    UNIT_CODE_PATTERN,
    Centre,
    CentreKind,
    Department,
    Formula,
    Institute,
    TeachingLanguage,
    Term,
    UnitKind,
    Weekday,
)


def _choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _department_choices(departments: Iterable[Department]) -> list[tuple[str, Any]]:
    return [(d.slug, d.name) for d in departments]


class UnitSearchForm(forms.Form):
    """The catalogue search: free text and optional filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    department = forms.ChoiceField(label=_("Department"), required=False)
    ects = forms.IntegerField(
        label=_("ECTS credits"),
        required=False,
        min_value=1,
        max_value=60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *UnitKind.choices]
    )

    def __init__(self, data: Mapping[str, Any], *, departments: Iterable[Department]) -> None:
        super().__init__(data)
        _choices(
            self, "department", [("", _("All departments")), *_department_choices(departments)]
        )
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("A code or words: NFA008, bases de données…")}
        )


class OfferingFilterForm(forms.Form):
    """Narrow where a unit is offered: by formula and by kind of centre."""

    formula = forms.ChoiceField(
        label=_("Formula"), required=False, choices=[("", _("All formulas")), *Formula.choices]
    )
    centre_kind = forms.ChoiceField(
        label=_("Centre"), required=False, choices=[("", _("All centres")), *CentreKind.choices]
    )


class DiplomaFilterForm(forms.Form):
    """Filter the list of diplomas."""

    q = forms.CharField(label=_("Title or code"), required=False, max_length=200)
    department = forms.ChoiceField(label=_("Department"), required=False)

    def __init__(self, data: Mapping[str, Any], *, departments: Iterable[Department]) -> None:
        super().__init__(data)
        _choices(
            self, "department", [("", _("All departments")), *_department_choices(departments)]
        )


class TermChoiceForm(forms.Form):
    """Pick the term whose timetable a centre page shows."""

    term = forms.ChoiceField(label=_("Term"), required=False)

    def __init__(self, data: Mapping[str, Any], *, terms: Iterable[Term]) -> None:
        super().__init__(data)
        _choices(self, "term", [(t.code, t.label) for t in terms])


def _codes(value: str) -> list[str]:
    return [code for code in value.replace(",", " ").upper().split() if code]


class UnitForm(forms.Form):
    """A new unit of the catalogue."""

    code = forms.CharField(
        label=_("Code"),
        max_length=9,
        help_text=_("Three capital letters and three digits, e.g. NFA008."),
        widget=forms.TextInput(
            attrs={"pattern": UNIT_CODE_PATTERN.strip("^$"), "autocapitalize": "characters"}
        ),
    )
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    department = forms.ChoiceField(label=_("Department"))
    ects = forms.IntegerField(label=_("ECTS credits"), help_text=_("A whole number, at least 1."))
    hours = forms.IntegerField(label=_("Hours of teaching"), required=False, min_value=0)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices, initial=UnitKind.COURSE)
    description_fr = forms.CharField(
        label=_("Description (French)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommended_prior = forms.CharField(
        label=_("Recommended prior units"),
        required=False,
        help_text=_("Codes separated by spaces or commas. Advice only: admission is open."),
    )
    replaces = forms.CharField(
        label=_("Replaces"),
        required=False,
        help_text=_("Codes of the older units this one succeeds."),
    )
    first_year = forms.IntegerField(label=_("First year taught"), required=False)
    last_year = forms.IntegerField(label=_("Last year taught"), required=False)

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, departments: Iterable[Department]
    ) -> None:
        super().__init__(data)
        _choices(self, "department", [("", "—"), *_department_choices(departments)])

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def clean_recommended_prior(self) -> list[str]:
        return _codes(self.cleaned_data["recommended_prior"])

    def clean_replaces(self) -> list[str]:
        return _codes(self.cleaned_data["replaces"])


class OfferingForm(forms.Form):
    """A unit offered in a term at a centre under a formula."""

    unit = forms.CharField(
        label=_("Unit"), max_length=9, help_text=_("The unit's code, e.g. NFA008.")
    )
    term = forms.ChoiceField(label=_("Term"))
    centre = forms.ChoiceField(label=_("Centre"))
    formula = forms.ChoiceField(label=_("Formula"), choices=Formula.choices)
    institute = forms.ChoiceField(
        label=_("Institute"), required=False, help_text=_("Only for the institute formula.")
    )
    section = forms.CharField(
        label=_("Section"),
        max_length=20,
        required=False,
        help_text=_("Tells apart two groups of one unit."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, help_text=_("Leave empty for no limit.")
    )
    language = forms.ChoiceField(
        label=_("Language of teaching"),
        choices=TeachingLanguage.choices,
        initial=TeachingLanguage.FRENCH,
    )
    published = forms.BooleanField(
        label=_("Published in the catalogue"), required=False, initial=True
    )
    teachers = forms.CharField(
        label=_("Teachers"),
        required=False,
        help_text=_("Their e-mail addresses, separated by spaces or commas."),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        terms: Iterable[Term],
        centres: Iterable[Centre],
        institutes: Iterable[Institute],
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=dict(initial or {}))
        _choices(self, "term", [(t.code, t.label) for t in terms])
        _choices(self, "centre", [(c.code, c.name) for c in centres])
        _choices(self, "institute", [("", "—"), *((i.code, i.name) for i in institutes)])

    def clean_unit(self) -> str:
        return str(self.cleaned_data["unit"]).strip().upper()

    def clean_teachers(self) -> list[str]:
        text = str(self.cleaned_data["teachers"]).replace(",", " ").lower()
        return list(dict.fromkeys(text.split()))


class SlotForm(forms.Form):
    """One weekly class: a weekday, a start and an end time, a room."""

    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=[("", "—"), *Weekday.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    starts_at = forms.TimeField(
        label=_("Starts at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(
        label=_("Ends at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    room = forms.CharField(label=_("Room"), max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        times = (data.get("starts_at"), data.get("ends_at"))
        # A row with no times is an unused row of the formset, whatever its weekday says.
        if any(times) and not all(times):
            missing = "ends_at" if data.get("starts_at") else "starts_at"
            self.add_error(missing, _("Give both the start and the end time."))
        if any(times) and data.get("weekday") is None and "weekday" not in self.errors:
            self.add_error("weekday", _("Choose the day of the week."))
        return data

    def is_blank(self) -> bool:
        """Tell whether the row was left empty."""
        data = getattr(self, "cleaned_data", {})
        return not (data.get("starts_at") or data.get("ends_at"))


class BlockForm(forms.Form):
    """A block of consecutive days of teaching."""

    starts_on = forms.DateField(
        label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        days = (data.get("starts_on"), data.get("ends_on"))
        if any(days) and not all(days):
            missing = "ends_on" if data.get("starts_on") else "starts_on"
            self.add_error(missing, _("Give both the first and the last day."))
        return data

    def is_blank(self) -> bool:
        """Tell whether the row was left empty."""
        data = getattr(self, "cleaned_data", {})
        return not (data.get("starts_on") or data.get("ends_on"))


SlotFormSet = formset_factory(SlotForm, extra=3, max_num=14, validate_max=True)
BlockFormSet = formset_factory(BlockForm, extra=2, max_num=20, validate_max=True)


class LearnerForm(forms.Form):
    """A new learner's file, opened at their home centre."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    home_centre = forms.ChoiceField(label=_("Home centre"))
    ine = forms.CharField(
        label=_("INE (national student number)"),
        max_length=20,
        required=False,
        help_text=_("11 characters with its key, e.g. 1234567890A; leave empty if unknown."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=30, required=False)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    profession = forms.CharField(label=_("Profession"), max_length=150, required=False)
    sector = forms.CharField(label=_("Sector of activity"), max_length=150, required=False)
    employer = forms.CharField(
        label=_("Employer's SIRET"),
        max_length=20,
        required=False,
        help_text=_("14 digits; the employer must already be recorded."),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, centres: Iterable[Centre]) -> None:
        super().__init__(data)
        _choices(self, "home_centre", [(c.code, c.name) for c in centres])


class ApiTokenForm(forms.Form):
    """Name a new personal API token."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “timetable export”."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that lasts until you revoke it."),
    )


def show_errors(
    errors: Mapping[str, Sequence[str]],
    form: BaseForm,
    formsets: Mapping[str, BaseFormSet[Any]] | None = None,
    rows: Mapping[str, Sequence[int]] | None = None,
) -> None:
    """Put an action's errors next to the fields they name.

    Keys are field names, ``__all__``, or ``slots[0].ends_at`` for the first
    item given to the action: ``rows`` maps that index back to the formset row.
    """
    formsets = formsets or {}
    rows = rows or {}
    for key, messages_ in errors.items():
        name, _bracket, rest = key.partition("[")
        if name in formsets and rest:
            index_text, _close, field = rest.partition("]")
            field = field.lstrip(".")
            row_forms = formsets[name].forms
            index = int(index_text) if index_text.isdigit() else -1
            row = rows.get(name, range(len(row_forms)))
            if 0 <= index < len(row):
                target = row_forms[row[index]]
                for message in messages_:
                    target.add_error(field if field in target.fields else None, message)
                continue
        for message in messages_:
            form.add_error(key if key in form.fields else None, message)


__all__ = [
    "ApiTokenForm",
    "BlockFormSet",
    "DiplomaFilterForm",
    "LearnerForm",
    "OfferingFilterForm",
    "OfferingForm",
    "SlotFormSet",
    "TermChoiceForm",
    "UnitForm",
    "UnitSearchForm",
    "show_errors",
]
