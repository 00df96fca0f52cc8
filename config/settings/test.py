"""Settings for the test suite: fast hashing, in-memory mail, immediate tasks."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LANGUAGE_CODE = "fr"

# Parallel runs (several checkouts, CI on both databases) must not share a test database.
_suffix = os.environ.get("CURSUS_TEST_DB_SUFFIX", "")
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": f"test_cursus{_suffix}"}
else:
    # Never the developer's var/ file, even from a fixture that forgets to ask for the
    # test database: that gets an empty in-memory database and fails loudly.
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": None}

# Keys made by tests live in a temporary directory, never under var/.
CURSUS_CREDENTIAL_KEYS_DIR = Path(tempfile.gettempdir()) / "cursus-test-keys"
CURSUS_CREDENTIAL_HOST = "cursus.example"
