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
from cursus.records.tests.fixtures import (  # noqa: F401
    learner_user,
    learners,
    lyon_staff,
    nsy103,
    offering,
    other_teacher,
)


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in the source language; the French ones are the catalogue's.
    with translation.override("en"):
        yield
