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

# Keep database connections open between requests (a new one per request cost 8-43% of throughput,
# issue 18), checked before reuse so a restarted database is survived. ATTUNE_DB_CONN_MAX_AGE=0
# opens one per request again; production.py does the same.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("ATTUNE_DB_CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

INSTALLED_APPS = [*INSTALLED_APPS, "attune.nonprod"]  # noqa: F405
