"""Fast, isolated settings for the test suite.

DATABASE_URL and REDIS_URL still apply: CI runs the same suite on PostgreSQL and Redis.
"""

import tempfile
from pathlib import Path

from .base import *
from .base import CACHES, DATABASES, HUEY, LOGGING, REDIS_URL, STORAGES

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**HUEY, "immediate": True}
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = "aqparat-test"
else:  # the shared file cache, in a folder of this run's own
    CACHES["default"]["LOCATION"] = tempfile.mkdtemp(prefix="aqparat-test-cache-")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="aqparat-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="aqparat-test-static-"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
# Unit tests render the uncached path (their changes commit only at the end of the
# test, so no retirement would run); core/tests/test_pagecache.py turns it on, and
# the browser journeys' servers run with it as in production. The same for fragments.
AQPARAT_PAGE_CACHE = False
AQPARAT_FRAGMENT_CACHE = False
LOGGING["root"]["level"] = "WARNING"
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
else:
    # A file, not shared-cache memory: tests that race threads (Telegram claims,
    # overlapping publications) then see SQLite's real locking, WAL and busy timeout.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.mkdtemp(prefix="aqparat-test-db-")) / "test.sqlite3")
    }
AQPARAT_VIEWS_BUFFER_PATH = (
    Path(tempfile.mkdtemp(prefix="aqparat-test-views-")) / "b.db"
)

# The demo newsroom and its loader: never in production's INSTALLED_APPS.
INSTALLED_APPS = [*INSTALLED_APPS, "aqparat.demo"]
AQPARAT_DEMO_ALLOWED = True  # load_demo_newsroom (make run, the tests)
# The demo's staff sign in with a password only; production requires a second step.
AQPARAT_TWO_FACTOR_REQUIRED = False
