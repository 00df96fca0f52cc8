"""The back office: users and their roles, API tokens, and the event log (read only)."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cursus.core.actions import remove_role_assignment, revoke_api_token, save_role_assignment
from cursus.core.errors import DomainError
from cursus.core.models import ApiToken, Event, RoleAssignment, User

admin.site.site_header = _("Cursus — administration")
admin.site.site_title = _("Cursus")
admin.site.index_title = _("Back office")


class UserCreationForm(AdminUserCreationForm):  # type: ignore[type-arg]
    """Create a user who logs in with an e-mail address."""

    class Meta:
        model = User
        fields = ("email",)
        field_classes: dict[str, Any] = {}

    def clean_email(self) -> str:
        # Stored in lower case, as the user manager does: logging in matches it exactly.
        return str(self.cleaned_data["email"]).lower()


class UserChangeAdminForm(UserChangeForm):  # type: ignore[type-arg]
    """Change a user who logs in with an e-mail address."""

    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict[str, Any] = {}

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).lower()


class RoleAssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    extra = 0
    fields = ("role", "centre", "employer")
    autocomplete_fields = ("centre", "employer")
    verbose_name_plural = _("roles")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    form = UserChangeAdminForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identity"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "date_joined")
    list_filter = ("role_assignments__role", "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    inlines = (RoleAssignmentInline,)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm,  # type: ignore[type-arg]
        formset: BaseInlineFormSet,  # type: ignore[type-arg]
        change: bool,
    ) -> None:
        """Save role changes through the core's actions, so each one is logged."""
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        assignments = formset.save(commit=False)
        for assignment in formset.deleted_objects:
            remove_role_assignment(actor=request.user, assignment=assignment)  # type: ignore[arg-type]
        for assignment in assignments:
            save_role_assignment(actor=request.user, assignment=assignment)  # type: ignore[arg-type]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "centre", "employer", "created_at")
    list_filter = ("role", "centre")
    search_fields = ("user__email", "user__last_name", "centre__name", "employer__name")
    list_select_related = ("user", "centre", "employer")
    autocomplete_fields = ("user", "centre", "employer")

    def save_model(
        self,
        request: HttpRequest,
        obj: RoleAssignment,
        form: ModelForm,  # type: ignore[type-arg]
        change: bool,
    ) -> None:
        """Grant or change the role through the core's action, which logs it."""
        save_role_assignment(actor=request.user, assignment=obj)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        """Remove the role through the core's action, which logs it."""
        remove_role_assignment(actor=request.user, assignment=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        """Remove each selected role through the core's action, one event each."""
        for assignment in queryset:
            remove_role_assignment(actor=request.user, assignment=assignment)  # type: ignore[arg-type]


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Show rows without letting anyone add, change or delete them here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """The event log: append-only, so read-only here."""

    list_display = ("sequence", "occurred_at", "kind", "actor", "subject_type", "subject_id")
    list_filter = ("kind", "subject_type")
    search_fields = ("kind", "subject_id", "actor__email")
    list_select_related = ("actor",)
    date_hierarchy = "occurred_at"
    readonly_fields = (
        "sequence",
        "occurred_at",
        "kind",
        "actor",
        "subject_type",
        "subject_id",
        "data",
        "reason",
        "previous_hash",
        "hash",
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Personal API tokens: their owners create them; the back office may only revoke them."""

    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("name", "prefix", "user__email")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    actions = ("revoke",)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = request.user
        assert isinstance(actor, User)
        revoked = 0
        for token in queryset.select_related("user"):
            try:
                revoke_api_token(user=token.user, token_id=token.pk, actor=actor)
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
                return
            revoked += 1
        # The action itself lets only the owner or a registrar revoke a token.
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": revoked})
