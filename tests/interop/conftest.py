"""The fixtures of the credentials' tests, for the interop tests that go through Cursus."""

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
