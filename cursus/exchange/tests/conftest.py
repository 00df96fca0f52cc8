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
)
from cursus.exchange.tests.fixtures import (  # noqa: F401
    learners,
    nsy103,
    offering,
    other_offering,
    tariff,
    term,
)


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in the source language; the French ones are the catalogue's.
    with translation.override("en"):
        yield
