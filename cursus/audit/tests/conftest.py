import pytest
from django.utils import translation

from cursus.audit.tests.app_fixtures import (  # noqa: F401
    classmate,
    diplomas,
    lyon_learner,
    lyon_staff,
    student,
    student_user,
    units,
)
from cursus.catalogue.tests.fixtures import (  # noqa: F401
    department,
    lyon,
    paris,
    paris_staff,
    registrar,
    teacher,
)


@pytest.fixture
def english():
    # Texts asserted in the source language; the French ones are the catalogue's.
    with translation.override("en"):
        yield
