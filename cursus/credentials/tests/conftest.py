import pytest

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
from cursus.credentials.tests.fixtures import juror, other_juror, w  # noqa: F401


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield
