"""The back office for learners' files and employers, saved through enrolment's actions."""

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cursus.catalogue.admin import ActionAdmin
from cursus.core.models import Role, User
from cursus.core.scoping import restrict, scope_of
from cursus.enrolment import actions
from cursus.enrolment.models import Employer, Learner


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
