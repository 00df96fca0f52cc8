import pytest
from django.core.cache import cache

from cursus.reporting.tests.fixtures import Stage


@pytest.fixture(autouse=True)
def fresh_cache():
    """Start every test without figures kept by another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stage(db) -> Stage:
    return Stage()
