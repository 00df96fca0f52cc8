"""A seed fixes the whole demo institution; another seed makes other people."""

from collections.abc import Callable

import pytest
from django.db import transaction

from cursus.demo.builder import build_demo
from cursus.demo.tests.conftest import TINY_SCALE
from cursus.demo.tests.fingerprint import fingerprint, table_rows

Tables = dict[str, list[list[str]]]

# The builds run in a module fixture: the mark makes pytest-django create the test database.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Callable[[int, int], Tables]:
    """Return the tables of a build (seed, attempt), each built once in a rolled-back transaction.

    Each test asks only for the builds it compares, so that parallel workers
    split the work.
    """
    cache: dict[tuple[int, int], Tables] = {}

    def tables(seed: int, attempt: int = 1) -> Tables:
        if (seed, attempt) not in cache:
            with django_db_blocker.unblock(), transaction.atomic():
                build_demo(scale=TINY_SCALE, seed=seed)
                cache[(seed, attempt)] = table_rows()
                transaction.set_rollback(True)
        return cache[(seed, attempt)]

    return tables


def test_the_same_seed_builds_identical_tables(built):
    assert fingerprint(built(1, 1)) == fingerprint(built(1, 2))


def test_another_seed_makes_other_learners(built):
    first, other = built(1, 1), built(2, 1)
    assert fingerprint(first)["learners"] != fingerprint(other)["learners"]
    names = {tuple(row[3:5]) for row in first["learners"]}
    assert names != {tuple(row[3:5]) for row in other["learners"]}
    # The organisation is the institution's, whatever the seed.
    for table in ("departments", "institutes", "institute_centres"):
        assert first[table] == other[table]
