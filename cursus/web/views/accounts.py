"""Logging in and out, resetting a password, personal API tokens."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cursus.core import queries as core_queries
from cursus.core.actions import create_api_token, revoke_api_token
from cursus.core.errors import InvalidInput
from cursus.web.forms import ApiTokenForm, show_errors
from cursus.web.permissions import member_view, user_of


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with an e-mail address and a password."""

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autofocus": True, "autocomplete": "email"}
        )


class LoginView(auth_views.LoginView):
    """The login page."""

    template_name = "web/accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Log out (by POST) and return home."""


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link to choose a new password, sent by e-mail."""

    template_name = "web/accounts/password_reset_form.html"
    email_template_name = "web/accounts/password_reset_email.txt"
    subject_template_name = "web/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("web:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """Say that the link is on its way."""

    template_name = "web/accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the link received."""

    template_name = "web/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("web:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """Say that the new password is set."""

    template_name = "web/accounts/password_reset_complete.html"


@never_cache
@member_view
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Show the user's account and API tokens; create one, shown once in plain text."""
    user = user_of(request)
    form = ApiTokenForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = create_api_token(user=user, **form.cleaned_data)
            except InvalidInput as error:
                show_errors(error.as_errors(), form)
            else:
                form = ApiTokenForm()
        if created is None:
            status = 400
    context = {
        "form": form,
        "created": created,
        "tokens": core_queries.api_tokens(user),
        "roles": core_queries.role_assignments(user),
    }
    return render(request, "web/accounts/api_tokens.html", context, status=status)


@require_POST
@member_view
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's API tokens."""
    revoke_api_token(user=user_of(request), token_id=token_id)
    messages.success(request, _("The token is revoked: it no longer opens the API."))
    return redirect("web:api_tokens")
