import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cursus.core.models import ApiToken
from cursus.core.queries import user_for_token
from cursus.web.tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def shown_token(content: str) -> str:
    match = re.search(r'<code id="new-token">([^<]+)</code>', content)
    assert match is not None
    return match.group(1)


def test_login_by_email_lands_on_the_home_page(client: Client, world):
    response = client.post(
        reverse("web:login"), {"username": world.teacher.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert "Vos enseignements ce semestre" in client.get(reverse("web:home")).content.decode()


def test_login_with_a_wrong_password_says_so_and_stays_out(client: Client, world):
    response = client.post(
        reverse("web:login"), {"username": world.teacher.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_takes_a_post_and_ends_the_session(client: Client, login, world):
    login(world.teacher)
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(client: Client, world):
    response = client.post(reverse("web:password_reset"), {"email": world.learner_user.email})
    assert response["Location"] == reverse("web:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "mot de passe" in message.subject
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", str(message.body))
    assert link is not None
    # The link redirects once to a URL that hides the token, then shows the form.
    form_page = client.get(link.group(1), follow=True)
    assert "new_password1" in form_page.content.decode()
    new_password = "Un autre mot de passe 2026"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == reverse("web:password_reset_complete")
    assert client.login(email=world.learner_user.email, password=new_password)


def test_language_switch_changes_the_page_and_back(client: Client, world):
    home = reverse("web:home")
    assert "Trouver une unité" in client.get(home).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response["Location"] == home
    english = client.get(home).content.decode()
    assert "Find a unit" in english
    assert '<html lang="en">' in english
    client.post(reverse("set_language"), {"language": "fr", "next": home})
    assert "Trouver une unité" in client.get(home).content.decode()


def test_every_page_carries_the_language_switch(client: Client, world):
    for url in [reverse("web:home"), reverse("web:catalogue"), world.paris.get_absolute_url()]:
        content = client.get(url).content.decode()
        assert f'action="{reverse("set_language")}"' in content
        assert 'name="language" value="en"' in content


def test_api_token_is_shown_once_then_listed_by_its_prefix(client: Client, login, world):
    login(world.teacher)
    response = client.post(reverse("web:api_tokens"), {"name": "export des horaires"})
    assert response.status_code == 200
    content = response.content.decode()
    plaintext = shown_token(content)
    assert user_for_token(plaintext) == world.teacher
    listing = client.get(reverse("web:api_tokens")).content.decode()
    token = ApiToken.objects.get(user=world.teacher)
    assert f"cur_{token.prefix}…" in listing
    assert plaintext not in listing


def test_api_token_without_a_name_is_refused_naming_the_field(client: Client, login, world):
    login(world.teacher)
    response = client.post(reverse("web:api_tokens"), {"name": ""})
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_api_token_with_a_past_expiry_is_refused_by_the_action(client: Client, login, world):
    login(world.teacher)
    response = client.post(reverse("web:api_tokens"), {"name": "vieux", "expires_on": "2001-01-01"})
    assert response.status_code == 400
    assert 'id="id_expires_on_error"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoked_token_no_longer_opens_the_api(client: Client, login, world):
    login(world.teacher)
    content = client.post(reverse("web:api_tokens"), {"name": "script"}).content.decode()
    plaintext = shown_token(content)
    token = ApiToken.objects.get(user=world.teacher)
    response = client.post(reverse("web:revoke_token", kwargs={"token_id": token.pk}))
    assert response["Location"] == reverse("web:api_tokens")
    assert user_for_token(plaintext) is None


def test_nobody_revokes_another_users_token(client: Client, login, world):
    login(world.teacher)
    client.post(reverse("web:api_tokens"), {"name": "script"})
    token = ApiToken.objects.get(user=world.teacher)
    login(world.learner_user)
    response = client.post(reverse("web:revoke_token", kwargs={"token_id": token.pk}))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_tokens_page_asks_visitors_to_log_in(client: Client, world):
    response = client.get(reverse("web:api_tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_login_switches_the_interface_to_the_users_preferred_language(client: Client, world):
    world.teacher.preferred_language = "en"
    world.teacher.save(update_fields=["preferred_language"])

    response = client.post(
        reverse("web:login"), {"username": world.teacher.email, "password": PASSWORD}
    )

    assert response.cookies["django_language"].value == "en"
    assert "Your teaching this term" in client.get(reverse("web:home")).content.decode()


def test_switching_language_when_logged_in_is_remembered_for_next_time(
    client: Client, login, world
):
    login(world.teacher)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    world.teacher.refresh_from_db()
    assert world.teacher.preferred_language == "en"


def test_switching_language_anonymously_changes_only_the_cookie(client: Client, world):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.cookies["django_language"].value == "en"
    world.teacher.refresh_from_db()
    assert world.teacher.preferred_language == "fr"
