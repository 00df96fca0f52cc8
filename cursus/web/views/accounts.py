"""Logging in and out, resetting a password, personal API tokens."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cursus.core import queries as core_queries
from cursus.core.actions import create_api_token, revoke_api_token, set_preferred_language
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
    """The login page; the interface then speaks the user's preferred language."""

    template_name = "web/accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface's language, and remember it for a logged-in user."""
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in {code for code, _name in settings.LANGUAGES}:
        set_preferred_language(user=user_of(request), language=language)
    return i18n_views.set_language(request)


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
