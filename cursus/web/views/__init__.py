"""The pages, one module per area."""

from cursus.web.views.accounts import (
    LoginView,
    LogoutView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
    api_tokens,
    revoke_token,
)
from cursus.web.views.catalogue import (
    centre,
    centres,
    diploma,
    diplomas,
    offering,
    search,
    search_results,
    unit,
)
from cursus.web.views.home import home
from cursus.web.views.learners import learner, learner_create
from cursus.web.views.staff import offering_create, unit_create

__all__ = [
    "LoginView",
    "LogoutView",
    "PasswordResetCompleteView",
    "PasswordResetConfirmView",
    "PasswordResetDoneView",
    "PasswordResetView",
    "api_tokens",
    "centre",
    "centres",
    "diploma",
    "diplomas",
    "home",
    "learner",
    "learner_create",
    "offering",
    "offering_create",
    "revoke_token",
    "search",
    "search_results",
    "unit",
    "unit_create",
]
