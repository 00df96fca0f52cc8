from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cursus.catalogue.tests.fixtures import make_user
from cursus.core.actions import create_api_token
from cursus.core.models import ApiToken, Role

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_me_needs_authentication(client):
    answer = client.get(f"{API}/me")

    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert list(answer.json()["errors"]) == ["__all__"]


def test_me_by_token_lists_roles(client, paris_staff):
    _token, plaintext = create_api_token(user=paris_staff, name="script")

    answer = client.get(f"{API}/me", headers=bearer(plaintext))

    assert answer.status_code == 200
    body = answer.json()
    assert body["email"] == "staff@paris.example.org"
    assert body["is_registrar"] is False
    assert body["roles"] == [{"role": "centre_staff", "centre": "paris", "employer": None}]


def test_me_by_session(client, registrar):
    client.force_login(registrar)

    body = client.get(f"{API}/me").json()

    assert body["is_registrar"] is True


@pytest.mark.parametrize("plaintext", ["cur_00000000_wrong", "nonsense", ""])
def test_a_bad_token_is_refused(client, registrar, plaintext):
    create_api_token(user=registrar, name="real")

    assert client.get(f"{API}/me", headers=bearer(plaintext)).status_code == 401


def test_a_revoked_or_expired_token_is_refused(client, registrar):
    revoked, revoked_plain = create_api_token(user=registrar, name="old")
    expired, expired_plain = create_api_token(user=registrar, name="short")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(f"{API}/me", headers=bearer(revoked_plain)).status_code == 401
    assert client.get(f"{API}/me", headers=bearer(expired_plain)).status_code == 401


def test_tokens_are_created_from_a_session_and_listed_without_secrets(client, registrar):
    client.force_login(registrar)

    created = client.post(
        f"{API}/me/tokens", {"name": "nightly export"}, content_type="application/json"
    )

    assert created.status_code == 201
    plaintext = created.json()["token"]
    assert plaintext.startswith(f"cur_{created.json()['prefix']}_")
    listed = client.get(f"{API}/me/tokens").json()
    assert [token["name"] for token in listed] == ["nightly export"]
    assert "token" not in listed[0]
    assert plaintext not in str(ApiToken.objects.values_list())


def test_a_token_cannot_mint_another(client, registrar):
    _token, plaintext = create_api_token(user=registrar, name="script")

    answer = client.post(
        f"{API}/me/tokens",
        {"name": "more"},
        content_type="application/json",
        headers=bearer(plaintext),
    )

    assert answer.status_code == 403
    assert ApiToken.objects.count() == 1


def test_revoking_a_token_through_the_api(client, registrar):
    token, plaintext = create_api_token(user=registrar, name="script")
    client.force_login(registrar)

    assert client.delete(f"{API}/me/tokens/{token.pk}").status_code == 204
    assert Client().get(f"{API}/me", headers=bearer(plaintext)).status_code == 401


def test_someone_elses_token_cannot_be_revoked(client, registrar, paris_staff):
    token, _plaintext = create_api_token(user=registrar, name="script")
    client.force_login(paris_staff)

    answer = client.delete(f"{API}/me/tokens/{token.pk}")

    assert answer.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_session_writes_need_the_csrf_token(registrar, department):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(registrar)
    payload = {"slug": "maths", "name_fr": "Maths", "name_en": "Maths"}

    refused = browser.post(f"{API}/departments", payload, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["errors"]["__all__"][0]

    browser.get(f"{API}/docs")  # sets the CSRF cookie, as the documentation page does
    accepted = browser.post(
        f"{API}/departments",
        payload,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )
    assert accepted.status_code == 201


def test_token_writes_need_no_csrf_token(registrar, department):
    _token, plaintext = create_api_token(user=registrar, name="script")
    script = Client(enforce_csrf_checks=True)

    answer = script.post(
        f"{API}/departments",
        {"slug": "maths", "name_fr": "Maths", "name_en": "Maths"},
        content_type="application/json",
        headers=bearer(plaintext),
    )

    assert answer.status_code == 201


def test_an_inactive_users_token_is_refused(client):
    user = make_user("gone@example.org", Role.REGISTRAR, is_active=False)
    _token, plaintext = create_api_token(user=user, name="script")

    assert client.get(f"{API}/me", headers=bearer(plaintext)).status_code == 401
