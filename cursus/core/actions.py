"""Writes of the core: personal API tokens, role assignments, the preferred language."""

import hashlib
import secrets
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.core.errors import InvalidInput, NotFound
from cursus.core.events import record_event
from cursus.core.models import ApiToken, Role, RoleAssignment, User
from cursus.core.scoping import scope_of

TOKEN_SCHEME = "cur"  # noqa: S105 - the public marker of our tokens, not a secret
TOKEN_NAME_MAX_LENGTH = 100


def hash_token(plaintext: str) -> str:
    """Return the SHA-256 (hex) under which a token's plaintext is stored."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


@transaction.atomic
def create_api_token(
    *, user: User, name: str, expires_on: date | None = None
) -> tuple[ApiToken, str]:
    """Create a personal API token; return it with its plaintext, which is never kept."""
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the token a name, to recognise it later.")]
    elif len(name) > TOKEN_NAME_MAX_LENGTH:
        errors["name"] = [
            _("A token name has at most %(max)d characters.") % {"max": TOKEN_NAME_MAX_LENGTH}
        ]
    today = timezone.localdate()
    if expires_on is not None and expires_on < today:
        errors["expires_on"] = [_("The expiry date must be today or later.")]
    if errors:
        raise InvalidInput(errors)
    # The prefix is hexadecimal so that the underscore always separates the parts.
    prefix = secrets.token_hex(4)
    plaintext = f"{TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = None
    if expires_on is not None:
        # Valid through the whole expiry day, in the institution's time zone.
        expires_at = timezone.make_aware(datetime.combine(expires_on + timedelta(days=1), time()))
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=hash_token(plaintext),
        expires_at=expires_at,
    )
    record_event(
        kind="core.api_token_created",
        subject=token,
        actor=user,
        data={"name": name, "prefix": prefix, "expires_at": expires_at},
    )
    return token, plaintext


@transaction.atomic
def revoke_api_token(*, user: User, token_id: int, actor: User | None = None) -> None:
    """Revoke one of the user's tokens; a registrar (as ``actor``) may revoke anyone's.

    Revoking a token already revoked changes nothing.
    """
    actor = actor or user
    if actor.pk != user.pk and not scope_of(actor).has(Role.REGISTRAR):
        raise NotFound(_("No such token."), field="token")
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("No such token."), field="token")
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(
        kind="core.api_token_revoked",
        subject=token,
        actor=actor,
        data={"name": token.name, "prefix": token.prefix, "user": user.pk},
    )


def _role_state(assignment: RoleAssignment) -> dict[str, object]:
    return {
        "user": assignment.user_id,
        "role": assignment.role,
        "centre": assignment.centre_id,
        "employer": assignment.employer_id,
    }


@transaction.atomic
def save_role_assignment(*, actor: User | None, assignment: RoleAssignment) -> RoleAssignment:
    """Grant a role, or change the centre or employer of one, and log who did it.

    The assignment is validated (a centre for centre staff, an employer for an
    employer contact, no duplicate) before it is saved.
    """
    created = assignment.pk is None
    before = None
    if not created:
        before = _role_state(RoleAssignment.objects.select_for_update().get(pk=assignment.pk))
    assignment.full_clean()
    assignment.save()
    after = _role_state(assignment)
    if before != after:
        record_event(
            kind="core.role_granted" if created else "core.role_changed",
            subject=assignment,
            actor=actor,
            data={"before": before, "after": after} if before else after,
        )
    return assignment


@transaction.atomic
def remove_role_assignment(*, actor: User | None, assignment: RoleAssignment) -> None:
    """Take a role away from a user, logging what it was."""
    state = _role_state(assignment)
    record_event(kind="core.role_removed", subject=assignment, actor=actor, data=state)
    assignment.delete()


@transaction.atomic
def set_preferred_language(*, user: User, language: str) -> User:
    """Remember the language a user reads the interface in; unknown languages are refused."""
    choices = {code for code, _label in User._meta.get_field("preferred_language").choices or ()}
    if language not in choices:
        raise InvalidInput({"language": [_("Choose French or English.")]})
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        record_event(
            kind="core.language_chosen", subject=user, actor=user, data={"language": language}
        )
    return user
