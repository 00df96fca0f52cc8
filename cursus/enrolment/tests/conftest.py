import pytest
from django.utils import translation

from cursus.catalogue.tests.fixtures import (  # noqa: F401
    department,
    lyon,
    nfa008,
    paris,
    paris_staff,
    registrar,
    teacher,
    term,
)
from cursus.enrolment.tests.fixtures import world  # noqa: F401


@pytest.fixture
def english():
    """Read messages in English, the language of the source strings."""
    with translation.override("en"):
        yield
