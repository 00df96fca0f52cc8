"""Settings for a laptop or a demo: debug on, SQLite under var/ unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "local-development-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# The demo is served over plain HTTP on this machine: its QR codes lead there.
CURSUS_PUBLIC_URL = os.environ.get("CURSUS_PUBLIC_URL", "http://127.0.0.1:8000")
