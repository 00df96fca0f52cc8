"""Markers shared by the test suites of every app."""

import shutil

import pytest
from django.db import connection

CHROMIUM = "/usr/bin/chromium"


def chromium_path() -> str | None:
    """Return the path of Debian's Chromium, or None when it is not installed."""
    return CHROMIUM if shutil.which(CHROMIUM) else None


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="[postgres] needs PostgreSQL: set DATABASE_URL=postgres://…",
)
