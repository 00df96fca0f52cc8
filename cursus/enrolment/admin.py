"""The back office for learners' files, employers and tariffs, saved through enrolment's
actions; registrations, enrolments, agreements and contracts are shown, and changed only
through the actions (the pages and the API), so that every rule and event applies."""

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cursus.catalogue.admin import ActionAdmin
from cursus.core.models import Role, User
from cursus.core.scoping import restrict, scope_of
from cursus.enrolment import actions, queries
from cursus.enrolment.models import (
    Employer,
    Enrolment,
    FundingShare,
    Learner,
    Registration,
    Tariff,
    TrainingAgreement,
    TrainingContract,
)


@admin.register(Employer)
class EmployerAdmin(ActionAdmin[Employer]):
    list_display = ("name", "siret", "city", "sector")
    search_fields = ("name", "siret", "city")
    action_fields = ("name", "siret", "address", "city", "sector")
    fixed_fields = ("siret",)

    def may_write(self, request: HttpRequest, obj: Employer | None) -> bool:
        return scope_of(request.user).is_staff_member

    def validate(self, values: Mapping[str, object], instance: Employer | None) -> None:
        actions.validate_employer(values=values, employer=instance)

    def create(self, actor: User, values: dict[str, Any]) -> Employer:
        return actions.create_employer(actor=actor, **values)

    def update(self, actor: User, instance: Employer, changes: dict[str, Any]) -> Employer:
        return actions.update_employer(actor=actor, employer=instance, changes=changes)


@admin.register(Learner)
class LearnerAdmin(ActionAdmin[Learner]):
    list_display = ("number", "last_name", "first_name", "home_centre", "ine", "employer")
    list_filter = ("home_centre",)
    search_fields = ("number", "last_name", "first_name", "ine", "email")
    list_select_related = ("home_centre", "employer")
    autocomplete_fields = ("user", "employer", "home_centre")
    action_fields = (
        "number",
        "first_name",
        "last_name",
        "home_centre",
        "ine",
        "birth_date",
        "email",
        "phone",
        "address",
        "profession",
        "sector",
        "employer",
        "user",
    )
    fixed_fields = ("number",)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "number" in form.base_fields:
            form.base_fields["number"].required = False
            form.base_fields["number"].help_text = _("Leave empty to give the next free number.")
        return form

    def get_queryset(self, request: HttpRequest) -> QuerySet[Learner]:
        # Centre staff see the files of their centres only.
        return restrict(super().get_queryset(request), request.user, centre="home_centre")

    def may_write(self, request: HttpRequest, obj: Learner | None) -> bool:
        scope = scope_of(request.user)
        if obj is None:
            return scope.is_registrar or scope.has(Role.CENTRE_STAFF)
        return scope.covers_centre(obj.home_centre_id)

    def action_values(self, form: Any, formsets: Any, *, change: bool) -> dict[str, Any]:
        values = super().action_values(form, formsets, change=change)
        if not values.get("number"):
            values.pop("number", None)
        return values

    def validate(self, values: Mapping[str, object], instance: Learner | None) -> None:
        actions.validate_learner(values=values, learner=instance)

    def create(self, actor: User, values: dict[str, Any]) -> Learner:
        return actions.create_learner(actor=actor, **values)

    def update(self, actor: User, instance: Learner, changes: dict[str, Any]) -> Learner:
        return actions.update_learner(actor=actor, learner=instance, changes=changes)


@admin.register(Tariff)
class TariffAdmin(ActionAdmin[Tariff]):
    list_display = (
        "academic_year",
        "centre",
        "basis",
        "registration_fee",
        "full_amount",
        "reduced_amount",
        "employer_amount",
    )
    list_filter = ("academic_year", "basis")
    list_select_related = ("academic_year", "centre")
    action_fields = (
        "academic_year",
        "centre",
        "basis",
        "registration_fee",
        "full_amount",
        "reduced_amount",
        "employer_amount",
    )
    fixed_fields = ("academic_year", "centre")

    def _complete(self, values: Mapping[str, object], instance: Tariff | None) -> dict[str, Any]:
        # A change names only the fields changed; the action sets the whole tariff.
        whole: dict[str, Any] = {}
        if instance is not None:
            whole = {name: getattr(instance, name) for name in self.action_fields}
            whole["centre"] = instance.centre.code if instance.centre is not None else None
        return {**whole, **values}

    def validate(self, values: Mapping[str, object], instance: Tariff | None) -> None:
        actions.validate_tariff(values=self._complete(values, instance))

    def create(self, actor: User, values: dict[str, Any]) -> Tariff:
        return actions.set_tariff(actor=actor, **values)

    def update(self, actor: User, instance: Tariff, changes: dict[str, Any]) -> Tariff:
        return actions.set_tariff(actor=actor, **self._complete(changes, instance))


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Shown in the back office; changed only through the actions, by the pages and the API."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FundingInline(admin.TabularInline):  # type: ignore[type-arg]
    model = FundingShare
    fields = ("payer", "employer", "funder", "amount")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("learner", "academic_year", "centre", "rate", "fee", "status")
    list_filter = ("academic_year", "status", "rate", "centre")
    search_fields = ("learner__number", "learner__last_name")
    inlines = (FundingInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return queries.visible_registrations(request.user)


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("learner", "unit", "term", "offering", "status", "fee", "created_at")
    list_filter = ("status", "term")
    search_fields = ("learner__number", "learner__last_name", "unit__code")
    list_select_related = ("learner", "unit", "term__academic_year", "offering__centre")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enrolment]:
        return queries.visible_enrolments(request.user).select_related(
            "unit", "term__academic_year"
        )


@admin.register(TrainingAgreement)
class TrainingAgreementAdmin(ReadOnlyAdmin):
    list_display = ("number", "employer", "learner", "centre", "price", "status")
    list_filter = ("status", "academic_year", "centre")
    search_fields = ("number", "employer__name", "employer__siret", "learner__last_name")
    inlines = (FundingInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrainingAgreement]:
        return queries.visible_agreements(request.user)


@admin.register(TrainingContract)
class TrainingContractAdmin(ReadOnlyAdmin):
    list_display = ("number", "learner", "centre", "price", "status", "withdrawal_ends_on")
    list_filter = ("status", "academic_year", "centre")
    search_fields = ("number", "learner__number", "learner__last_name")

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrainingContract]:
        return queries.visible_contracts(request.user)
