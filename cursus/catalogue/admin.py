"""The catalogue's back office. Every save goes through the catalogue's actions, so that the
back office checks, refuses and records exactly as the pages and the API do."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cursus.catalogue import actions
from cursus.catalogue.models import (
    AcademicYear,
    Centre,
    Department,
    Diploma,
    Institute,
    Offering,
    OfferingBlock,
    OfferingSlot,
    Term,
    Unit,
)
from cursus.core.errors import DomainError
from cursus.core.models import Role, User
from cursus.core.scoping import scope_of

M = TypeVar("M", bound=Model)
AnyForm = ModelForm[Any]
AnyFormSet = BaseInlineFormSet[Any, Any, Any]


def show_errors(form: forms.BaseForm, error: DomainError) -> None:
    """Put a domain error's messages on the form, each on its field when the form has it."""
    for field, messages in error.as_errors().items():
        name = field if field in form.fields else None
        for message in messages:
            form.add_error(name, message if name else f"{field}: {message}")


class ActionAdmin(admin.ModelAdmin, Generic[M]):  # type: ignore[type-arg]
    """Validate with the action's checks, then save by calling the action itself.

    Subclasses name the fields the action takes (``action_fields``) and bind
    ``validate``, ``create`` and ``update`` to the app's functions.
    """

    action_fields: ClassVar[Sequence[str]] = ()
    # Fields set when the object is made and never changed afterwards.
    fixed_fields: ClassVar[Sequence[str]] = ()

    def validate(self, values: Mapping[str, object], instance: M | None) -> None:
        raise NotImplementedError

    def create(self, actor: User, values: dict[str, Any]) -> M:
        raise NotImplementedError

    def update(self, actor: User, instance: M, changes: dict[str, Any]) -> M:
        raise NotImplementedError

    def may_write(self, request: HttpRequest, obj: M | None) -> bool:
        """Tell whether the user's roles let the action accept this user's changes."""
        return scope_of(request.user).is_registrar

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self.may_write(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self.may_write(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Catalogue rows are named by records kept for ever: they are closed, never deleted.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fixed = tuple(self.fixed_fields) if obj is not None else ()
        return (*super().get_readonly_fields(request, obj), *fixed)

    def action_values(
        self,
        form: AnyForm,
        formsets: Iterable[AnyFormSet],
        *,
        change: bool,
    ) -> dict[str, Any]:
        """Return the action's input from the form: every field when adding, the changed ones
        when changing."""
        names = [name for name in self.action_fields if name in form.cleaned_data]
        if change:
            names = [name for name in names if name in form.changed_data]
        return {name: actions.natural_key(form.cleaned_data[name]) for name in names}

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[AnyForm]:
        base = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ActionForm(base):  # type: ignore[valid-type,misc]
            def clean(self) -> dict[str, Any]:
                cleaned: dict[str, Any] = super().clean()
                if not self._errors:
                    existing = self.instance if self.instance.pk else None
                    values = model_admin.action_values(self, (), change=existing is not None)
                    try:
                        model_admin.validate(values, existing)
                    except DomainError as error:
                        show_errors(self, error)
                return cleaned

        return ActionForm

    def save_model(self, request: HttpRequest, obj: M, form: AnyForm, change: bool) -> None:
        if not self.inlines:
            self._save_through_action(request, obj, form, (), change=change)

    def save_related(
        self,
        request: HttpRequest,
        form: AnyForm,
        formsets: Sequence[AnyFormSet],
        change: bool,
    ) -> None:
        # The action has set the related objects itself (links, slots, blocks).
        if self.inlines:
            self._save_through_action(request, form.instance, form, formsets, change=change)
            for formset in formsets:
                # Read by the admin's history message; the action saved these rows.
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def _save_through_action(
        self,
        request: HttpRequest,
        obj: M,
        form: AnyForm,
        formsets: Sequence[AnyFormSet],
        *,
        change: bool,
    ) -> None:
        actor = request.user
        assert isinstance(actor, User)
        values = self.action_values(form, formsets, change=change)
        saved = self.update(actor, obj, values) if change else self.create(actor, values)
        # The admin goes on with its own object (messages, history, redirect): make it the
        # saved row.
        obj.__dict__.update(saved.__dict__)


@admin.register(Department)
class DepartmentAdmin(ActionAdmin[Department]):
    list_display = ("slug", "name_fr", "name_en")
    search_fields = ("slug", "name_fr", "name_en")
    action_fields = ("slug", "name_fr", "name_en")
    fixed_fields = ("slug",)

    def validate(self, values: Mapping[str, object], instance: Department | None) -> None:
        actions.validate_department(values=values, department=instance)

    def create(self, actor: User, values: dict[str, Any]) -> Department:
        return actions.create_department(actor=actor, **values)

    def update(self, actor: User, instance: Department, changes: dict[str, Any]) -> Department:
        return actions.update_department(actor=actor, department=instance, changes=changes)


@admin.register(Centre)
class CentreAdmin(ActionAdmin[Centre]):
    list_display = ("code", "name", "kind", "city", "country")
    list_filter = ("kind", "country")
    search_fields = ("code", "name", "city")
    action_fields = ("code", "name", "kind", "city", "region", "country", "time_zone", "address")
    fixed_fields = ("code",)

    def validate(self, values: Mapping[str, object], instance: Centre | None) -> None:
        actions.validate_centre(values=values, centre=instance)

    def create(self, actor: User, values: dict[str, Any]) -> Centre:
        return actions.create_centre(actor=actor, **values)

    def update(self, actor: User, instance: Centre, changes: dict[str, Any]) -> Centre:
        return actions.update_centre(actor=actor, centre=instance, changes=changes)


@admin.register(Institute)
class InstituteAdmin(ActionAdmin[Institute]):
    list_display = ("code", "name", "sector")
    search_fields = ("code", "name", "sector")
    filter_horizontal = ("centres",)
    action_fields = ("code", "name", "sector", "description", "centres")
    fixed_fields = ("code",)

    def validate(self, values: Mapping[str, object], instance: Institute | None) -> None:
        actions.validate_institute(values=values, institute=instance)

    def create(self, actor: User, values: dict[str, Any]) -> Institute:
        return actions.create_institute(actor=actor, **values)

    def update(self, actor: User, instance: Institute, changes: dict[str, Any]) -> Institute:
        return actions.update_institute(actor=actor, institute=instance, changes=changes)


@admin.register(Unit)
class UnitAdmin(ActionAdmin[Unit]):
    list_display = ("code", "title_fr", "department", "ects", "kind", "first_year", "last_year")
    list_filter = ("department", "kind", "ects")
    search_fields = ("code", "title_fr", "title_en")
    list_select_related = ("department",)
    autocomplete_fields = ("recommended_prior", "replaces")
    action_fields = (
        "code",
        "title_fr",
        "title_en",
        "department",
        "ects",
        "hours",
        "kind",
        "description_fr",
        "description_en",
        "recommended_prior",
        "replaces",
        "first_year",
        "last_year",
    )
    fixed_fields = ("code",)

    def validate(self, values: Mapping[str, object], instance: Unit | None) -> None:
        actions.validate_unit(values=values, unit=instance)

    def create(self, actor: User, values: dict[str, Any]) -> Unit:
        return actions.create_unit(actor=actor, **values)

    def update(self, actor: User, instance: Unit, changes: dict[str, Any]) -> Unit:
        return actions.update_unit(actor=actor, unit=instance, changes=changes)


class RulesWidget(forms.Textarea):
    """A wide monospace area: indentation is meaningful in rules files."""

    def __init__(self) -> None:
        super().__init__(attrs={"rows": 24, "cols": 100, "style": "font-family: monospace"})


@admin.register(Diploma)
class DiplomaAdmin(ActionAdmin[Diploma]):
    list_display = ("code", "version", "title_fr", "kind", "department", "first_year", "last_year")
    list_filter = ("kind", "department", "national_jury")
    search_fields = ("code", "title_fr", "title_en")
    list_select_related = ("department",)
    action_fields = (
        "code",
        "version",
        "kind",
        "title_fr",
        "title_en",
        "department",
        "ects",
        "rules_text",
        "first_year",
        "last_year",
        "national_jury",
        "description_fr",
        "description_en",
    )
    fixed_fields = ("code", "version")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[AnyForm]:
        kwargs.setdefault("widgets", {})["rules_text"] = RulesWidget()
        return super().get_form(request, obj, change=change, **kwargs)

    def validate(self, values: Mapping[str, object], instance: Diploma | None) -> None:
        actions.validate_diploma(values=values, diploma=instance)

    def create(self, actor: User, values: dict[str, Any]) -> Diploma:
        return actions.create_diploma(actor=actor, **values)

    def update(self, actor: User, instance: Diploma, changes: dict[str, Any]) -> Diploma:
        return actions.update_diploma(actor=actor, diploma=instance, changes=changes)


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Academic years are made with their first term; shown here for reference."""

    list_display = ("label", "starts_on", "ends_on")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TermAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    start_year = forms.IntegerField(
        label=_("academic year (first calendar year)"),
        min_value=actions.FIRST_YEAR,
        max_value=actions.LAST_YEAR,
        help_text=_("2025 for 2025–2026; the year is created if needed."),
    )

    class Meta:
        model = Term
        fields = ("semester", *actions.TERM_DATE_FIELDS)


@admin.register(Term)
class TermAdmin(ActionAdmin[Term]):
    form = TermAdminForm
    list_display = ("label", "starts_on", "ends_on", "enrolment_opens_on", "enrolment_closes_on")
    list_filter = ("semester",)
    list_select_related = ("academic_year",)
    action_fields = ("start_year", "semester", *actions.TERM_DATE_FIELDS)
    fixed_fields = ("academic_year", "semester")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ("start_year", "semester", *actions.TERM_DATE_FIELDS)
        return ("academic_year", "semester", *actions.TERM_DATE_FIELDS)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[AnyForm]:
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change=change, **kwargs)

    def validate(self, values: Mapping[str, object], instance: Term | None) -> None:
        if instance is None:
            start_year = values.get("start_year")
            rest = {name: value for name, value in values.items() if name != "start_year"}
            actions.validate_term(
                values=rest, start_year=start_year if isinstance(start_year, int) else None
            )
        else:
            actions.validate_term(values=values, term=instance)

    def create(self, actor: User, values: dict[str, Any]) -> Term:
        return actions.create_term(actor=actor, **values)

    def update(self, actor: User, instance: Term, changes: dict[str, Any]) -> Term:
        return actions.update_term(actor=actor, term=instance, changes=changes)


class SlotForm(forms.ModelForm):  # type: ignore[type-arg]
    """A weekly slot, checked by the catalogue's own rule for slots."""

    class Meta:
        model = OfferingSlot
        fields = ("weekday", "starts_at", "ends_at", "room")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        # A field that failed its own checks is missing here: its error is shown already.
        if all(cleaned.get(name) is not None for name in ("weekday", "starts_at", "ends_at")):
            spec = actions.SlotSpec(
                weekday=cleaned["weekday"],
                starts_at=cleaned["starts_at"],
                ends_at=cleaned["ends_at"],
                room=cleaned.get("room", ""),
            )
            try:
                actions.validate_slots([spec])
            except DomainError as error:
                for field, messages in error.as_errors().items():
                    name = field.removeprefix("slots[0].")
                    self.add_error(name if name in self.fields else None, messages)
        return cleaned


class SlotInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OfferingSlot
    form = SlotForm
    extra = 1
    fields = ("weekday", "starts_at", "ends_at", "room")


class BlockInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OfferingBlock
    extra = 0
    fields = ("starts_on", "ends_on")


def _kept_rows(formsets: Iterable[AnyFormSet], model: type[Model]) -> list[dict[str, Any]] | None:
    """Return the rows an inline formset keeps (None when that inline was not shown)."""
    for formset in formsets:
        if formset.model is model:
            return [
                form.cleaned_data
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
    return None


@admin.register(Offering)
class OfferingAdmin(ActionAdmin[Offering]):
    list_display = ("unit", "term", "centre", "formula", "section", "capacity", "published")
    list_filter = ("formula", "published", "term", "centre")
    search_fields = ("unit__code", "unit__title_fr", "centre__name", "section")
    list_select_related = ("unit", "term__academic_year", "centre")
    autocomplete_fields = ("unit", "centre", "institute", "teachers")
    inlines = (SlotInline, BlockInline)
    action_fields = (
        "unit",
        "term",
        "centre",
        "formula",
        "institute",
        "section",
        "capacity",
        "language",
        "published",
        "teachers",
    )
    fixed_fields = ("unit", "term", "centre")

    def may_write(self, request: HttpRequest, obj: Offering | None) -> bool:
        scope = scope_of(request.user)
        if obj is None:
            return scope.is_registrar or scope.has(Role.CENTRE_STAFF)
        return scope.covers_centre(obj.centre_id)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Offering]:
        return super().get_queryset(request).select_related("term__academic_year")

    def action_values(
        self,
        form: AnyForm,
        formsets: Iterable[AnyFormSet],
        *,
        change: bool,
    ) -> dict[str, Any]:
        values = super().action_values(form, formsets, change=change)
        formsets = list(formsets)
        slots = _kept_rows(formsets, OfferingSlot)
        if slots is not None:
            values["slots"] = [
                actions.SlotSpec(
                    weekday=row["weekday"],
                    starts_at=row["starts_at"],
                    ends_at=row["ends_at"],
                    room=row.get("room", ""),
                )
                for row in slots
            ]
        blocks = _kept_rows(formsets, OfferingBlock)
        if blocks is not None:
            values["blocks"] = [
                actions.BlockSpec(starts_on=row["starts_on"], ends_on=row["ends_on"])
                for row in blocks
            ]
        return values

    def validate(self, values: Mapping[str, object], instance: Offering | None) -> None:
        actions.validate_offering(values=values, offering=instance)

    def create(self, actor: User, values: dict[str, Any]) -> Offering:
        return actions.create_offering(actor=actor, **values)

    def update(self, actor: User, instance: Offering, changes: dict[str, Any]) -> Offering:
        return actions.update_offering(actor=actor, offering=instance, changes=changes)
