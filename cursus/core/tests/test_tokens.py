import hashlib
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cursus.core.actions import create_api_token, revoke_api_token
from cursus.core.errors import InvalidInput, NotFound
from cursus.core.events import events_about
from cursus.core.models import ApiToken, Event, Role, RoleAssignment, User
from cursus.core.queries import api_tokens, user_for_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return User.objects.create_user("ada@example.org", "pw")


def test_a_token_is_shown_once_and_stored_hashed(user):
    token, plaintext = create_api_token(user=user, name="export")

    scheme, prefix, secret = plaintext.split("_", 2)
    assert (scheme, prefix) == ("cur", token.prefix)
    assert len(token.prefix) == 8
    assert len(secret) >= 40
    assert token.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    stored = ApiToken.objects.values_list(flat=False).get(pk=token.pk)
    assert secret not in str(stored)


def test_a_token_authenticates_its_user(user):
    _token, plaintext = create_api_token(user=user, name="export")

    assert user_for_token(plaintext) == user


def test_tokens_differ_each_time(user):
    plaintexts = {create_api_token(user=user, name=f"t{n}")[1] for n in range(5)}

    assert len(plaintexts) == 5


@pytest.mark.parametrize("guess", ["", "cur_", "cur_abcdef12_xyz", "Bearer x", "cur_" + "a" * 60])
def test_wrong_tokens_authenticate_nobody(user, guess):
    create_api_token(user=user, name="export")

    assert user_for_token(guess) is None


def test_a_revoked_token_authenticates_nobody(user):
    token, plaintext = create_api_token(user=user, name="export")

    revoke_api_token(user=user, token_id=token.pk)

    assert user_for_token(plaintext) is None
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_expires_after_its_last_day(user):
    today = timezone.localdate()
    token, plaintext = create_api_token(user=user, name="export", expires_on=today)

    assert user_for_token(plaintext) == user
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert user_for_token(plaintext) is None


def test_an_expiry_in_the_past_or_an_empty_name_is_refused(user):
    with pytest.raises(InvalidInput) as caught:
        create_api_token(user=user, name="  ", expires_on=date(2000, 1, 1))

    assert set(caught.value.errors) == {"name", "expires_on"}
    assert ApiToken.objects.count() == 0


def test_last_use_is_recorded_at_most_once_a_minute(user):
    token, plaintext = create_api_token(user=user, name="export")

    user_for_token(plaintext)
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    user_for_token(plaintext)
    token.refresh_from_db()
    assert token.last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=2))
    user_for_token(plaintext)
    token.refresh_from_db()
    assert token.last_used_at > first_use - timedelta(minutes=2)


def test_creating_and_revoking_are_logged_without_the_secret(user):
    token, plaintext = create_api_token(user=user, name="export")
    revoke_api_token(user=user, token_id=token.pk)
    revoke_api_token(user=user, token_id=token.pk)  # again: nothing more happens

    kinds = [event.kind for event in events_about(token)]
    assert kinds == ["core.api_token_created", "core.api_token_revoked"]
    assert plaintext.split("_", 2)[2] not in str(list(Event.objects.values_list("data")))


def test_a_user_revokes_only_their_own_tokens(user):
    other = User.objects.create_user("grace@example.org", "pw")
    token, _plaintext = create_api_token(user=user, name="export")

    with pytest.raises(NotFound):
        revoke_api_token(user=other, token_id=token.pk)
    with pytest.raises(NotFound):
        revoke_api_token(user=user, token_id=token.pk, actor=other)


def test_a_registrar_may_revoke_anyones_token(user):
    registrar = User.objects.create_user("registrar@example.org", "pw")
    RoleAssignment.objects.create(user=registrar, role=Role.REGISTRAR)
    token, plaintext = create_api_token(user=user, name="leaked")

    revoke_api_token(user=user, token_id=token.pk, actor=registrar)

    assert user_for_token(plaintext) is None
    assert events_about(token).get(kind="core.api_token_revoked").actor == registrar


def test_api_tokens_lists_the_users_tokens_newest_first(user):
    create_api_token(user=user, name="first")
    create_api_token(user=user, name="second")
    create_api_token(user=User.objects.create_user("x@example.org", "pw"), name="other")

    assert [token.name for token in api_tokens(user)] == ["second", "first"]
