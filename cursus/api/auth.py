"""Who is calling: a personal API token (Bearer) or the browser's session, and /me."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from cursus.api.schemas import Errors, MeOut, NewTokenOut, TokenIn, TokenOut
from cursus.core import actions, queries
from cursus.core.models import ApiToken, User
from cursus.core.scoping import scope_of

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TokenAuth(HttpBearer):
    """A personal API token: ``Authorization: Bearer cur_…``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = queries.user_for_token(token)
        if user is not None:
            request.user = user
            # Marks the request as token-borne, for what only a session may do.
            request.api_token = True  # type: ignore[attr-defined]
        return user


class SessionAuth(APIKeyCookie):
    """The browser's Django session; changes also need the CSRF token (X-CSRFToken)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check waits until the session is known to be a user's, so that an
        # anonymous caller learns that it must authenticate (401), not about CSRF.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        return user


AUTHENTICATED = [TokenAuth(), SessionAuth()]


def actor(request: HttpRequest) -> User:
    """Return the authenticated user making the request."""
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise AuthenticationError()
    return user


router = Router(tags=["me"])


@router.get("/me", response={200: MeOut, 401: Errors}, summary="Who am I")
def me(request: HttpRequest) -> dict[str, object]:
    """Return the calling user and their roles."""
    user = actor(request)
    scope = scope_of(user)
    learner = getattr(user, "learner", None)
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "is_registrar": scope.is_registrar,
        "learner_number": learner.number if learner is not None else None,
        "roles": list(queries.role_assignments(user)),
    }


@router.get("/me/tokens", response={200: list[TokenOut], 401: Errors}, summary="My API tokens")
def my_tokens(request: HttpRequest) -> list[ApiToken]:
    """Return the caller's API tokens (never their secrets), newest first."""
    return list(queries.api_tokens(actor(request)))


@router.post(
    "/me/tokens",
    response={201: NewTokenOut, 401: Errors, 403: Errors, 422: Errors},
    summary="Create an API token",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    """Create a personal API token; its secret is in this answer only.

    Only a logged-in session may do this, so that a leaked token cannot mint others.
    """
    user = actor(request)
    if getattr(request, "api_token", False):
        raise HttpError(403, _("Create tokens from a logged-in session, not with a token."))
    token, plaintext = actions.create_api_token(
        user=user, name=payload.name, expires_on=payload.expires_on
    )
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "token": plaintext})


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None, 401: Errors, 404: Errors},
    summary="Revoke an API token",
)
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of the caller's API tokens."""
    actions.revoke_api_token(user=actor(request), token_id=token_id)
    return Status(204, None)
