"""Reads of the core: users, their roles and their API tokens."""

import hmac
from collections.abc import Iterable
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from cursus.core.actions import TOKEN_SCHEME, hash_token
from cursus.core.models import ApiToken, RoleAssignment, User

# Recording every use would write on every API request; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def api_tokens(user: User) -> QuerySet[ApiToken]:
    """Return the user's API tokens, newest first, revoked ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def user_for_token(plaintext: str) -> User | None:
    """Return the active user a token authenticates, or None for a bad, expired or revoked one.

    The lookup goes by the SHA-256 of the whole token, so that comparing never
    reveals, by its timing, how much of a guess was right.
    """
    if not plaintext.startswith(f"{TOKEN_SCHEME}_"):
        return None
    digest = hash_token(plaintext)
    token = ApiToken.objects.select_related("user").filter(key_hash=digest).first()
    if token is None or not hmac.compare_digest(token.key_hash, digest):
        return None
    now = timezone.now()
    if token.revoked_at is not None or (token.expires_at is not None and now >= token.expires_at):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def role_assignments(user: User) -> QuerySet[RoleAssignment]:
    """Return the user's roles with the centre or employer each one covers."""
    return RoleAssignment.objects.filter(user=user).select_related("centre", "employer")


def users_by_email(emails: Iterable[str]) -> dict[str, User]:
    """Return the users with these e-mail addresses, by lower-cased address."""
    wanted = {email.strip().lower() for email in emails}
    return {user.email.lower(): user for user in User.objects.filter(email__in=wanted)}
