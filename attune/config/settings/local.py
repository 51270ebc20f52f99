"""Settings for `make run` and development on one machine (SQLite unless DATABASE_URL says)."""

from .base import *  # noqa: F403
from .base import env

# A fixed key is fine here: production refuses to start with it (see production.py).
SECRET_KEY = env.str("ATTUNE_SECRET_KEY", default="attune-local-development-key-not-for-production")

# Static files as production serves them (ADR 0018): `make run` collects them into STATIC_ROOT
# with hashed names and gzip copies (base.py's storage), and WhiteNoise serves them compressed
# with a year-long immutable Cache-Control. After `npm run build`, run `manage.py collectstatic`
# (or `make run`, which does both) to see the change.
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# Keep database connections open between requests (a new one per request cost 8-43% of throughput,
# issue 18), checked before reuse so a restarted database is survived. ATTUNE_DB_CONN_MAX_AGE=0
# opens one per request again; production.py does the same.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("ATTUNE_DB_CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

INSTALLED_APPS = [*INSTALLED_APPS, "attune.nonprod"]  # noqa: F405
