import pytest
from django.test import Client

from cursus.web.tests.world import PASSWORD, World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login(client: Client):
    """Log the test client in as a user, in French unless told otherwise."""

    def log_in(user, language: str = "fr") -> Client:
        assert client.login(email=user.email, password=PASSWORD)
        client.cookies["django_language"] = language
        return client

    return log_in
