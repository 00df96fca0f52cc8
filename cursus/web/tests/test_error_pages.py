import pytest
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_server_error_page_renders_without_a_request_in_each_language():
    # Django renders 500.html with an empty context: no request, no user.
    with translation.override("fr"):
        assert "Une erreur est survenue" in render_to_string("500.html")
    with translation.override("en"):
        assert "Something went wrong" in render_to_string("500.html")


def test_missing_page_is_answered_in_the_visitors_language(client: Client):
    client.cookies["django_language"] = "en"
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@override_settings(DEBUG=False)
def test_refusal_page_says_why(client: Client, world):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    client.force_login(world.teacher)
    refused = client.get(reverse("web:unit_create"))
    assert refused.status_code == 403
    assert "Votre rôle ou votre centre ne couvre pas" in refused.content.decode()
