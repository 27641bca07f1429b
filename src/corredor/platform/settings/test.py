"""Test settings: same code paths as production, fast hashing, isolated database."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, _database_from_env

SECRET_KEY = "test-only-key-for-the-test-suite-0123456789abcdef"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {"default": _database_from_env(VAR_DIR / "test.sqlite3")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not the in-memory default: in-memory SQLite shared between threads locks whole tables and
    # ignores the busy timeout, so the concurrency tests would test the test set-up, not the application.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    # one test database per run, so two runs on one server (a developer and CI) never collide
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", f"test_corredor_{os.getpid()}")}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
AXES_FAILURE_LIMIT = 3
