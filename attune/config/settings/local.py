"""Settings for `make run` and development on one machine (SQLite unless DATABASE_URL says)."""

from .base import *  # noqa: F403
from .base import env

# A fixed key is fine here: production refuses to start with it (see production.py).
SECRET_KEY = env.str("ATTUNE_SECRET_KEY", default="attune-local-development-key-not-for-production")

# Serve the built assets straight from attune/static without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

INSTALLED_APPS = [*INSTALLED_APPS, "attune.nonprod"]  # noqa: F405
