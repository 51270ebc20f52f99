"""Settings for the test suite: SQLite by default, PostgreSQL when DATABASE_URL names one."""

import tempfile

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "attune-test-key-not-for-production"  # noqa: S105
DEBUG = False
DEMO_MODE = False
# Never GOV.UK Notify from a test, whatever the environment says: tests that send use the fake
# Notify server (attune/notifications/tests/fake_notify.py), which sets these for themselves.
NOTIFY_API_KEY = ""
NOTIFY_BASE_URL = "http://127.0.0.1:9"

# Hashing is deliberately slow in real life; tests that check the real hasher set it back.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The test backend lifts the audit triggers only while the test runner empties tables
    # between transactional tests; everything else meets them exactly as in production.
    DATABASES["default"]["ENGINE"] = "attune.core.testing.sqlite_backend"
    # In memory, one database per process: pytest-xdist's workers each get their own (it leaves
    # ":memory:" alone rather than naming a file per worker).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Each test process keeps uploaded documents and recordings in a directory of its own.
DOCUMENTS_ROOT = tempfile.mkdtemp(prefix="attune-test-documents-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DOCUMENTS_ROOT}},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

INSTALLED_APPS = [*INSTALLED_APPS, "attune.nonprod"]  # noqa: F405
