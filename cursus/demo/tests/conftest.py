"""A demo institution built once per test module, inside a transaction rolled back after it."""

from collections.abc import Iterator

import pytest
from django.db import transaction
from pytest_django.plugin import DjangoDbBlocker

from cursus.demo.builder import DemoSummary, build_demo

# 50 learners: enough to cover every home centre kind, fast to build.
TINY_SCALE = 0.0005


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    """Build the demo at a tiny scale; each test then runs in a savepoint inside the build."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_demo(scale=TINY_SCALE, seed=1)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
