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
