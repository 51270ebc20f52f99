"""Production settings. Refuses to start with debug, demo mode or a missing or default key."""

import copy
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, DEMO_MODE, LOGGING, MIDDLEWARE, SECRET_KEY, STATIC_ROOT, env

if DEBUG:
    raise ImproperlyConfigured("ATTUNE_DEBUG must be off in production.")
if DEMO_MODE:
    raise ImproperlyConfigured("ATTUNE_DEMO must be off in production: the demo is not for real data.")
if len(SECRET_KEY) < 50 or "not-for-production" in SECRET_KEY or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("Set ATTUNE_SECRET_KEY to a long random value (50+ characters).")

ALLOWED_HOSTS = env.list("ATTUNE_ALLOWED_HOSTS")

# TLS terminates at the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# __Host- cookies are bound to this host, sent only over HTTPS, never to a sub-domain (S7).
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-attune-session"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-attune-csrf"
CSRF_TRUSTED_ORIGINS = env.list("ATTUNE_CSRF_TRUSTED_ORIGINS", default=[])

DATABASES["default"]["CONN_MAX_AGE"] = env.int("ATTUNE_DB_CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Where `collectstatic` writes the static files WhiteNoise serves (or the reverse proxy, see
# docs/deploy/): a directory the web server's account can read.
STATIC_ROOT = Path(env.str("ATTUNE_STATIC_ROOT", default="") or STATIC_ROOT)

# Logs are JSON lines (attune.core.json_logging), through the same redacting filters, with one
# line per request (attune.core.request_log): gunicorn's own access log is off.
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("attune.core.middleware.RequestIdMiddleware") + 1],
    "attune.core.request_log.RequestLogMiddleware",
    *MIDDLEWARE[MIDDLEWARE.index("attune.core.middleware.RequestIdMiddleware") + 1 :],
]
_json_logging: dict[str, Any] = cast(dict[str, Any], copy.deepcopy(LOGGING))
_json_logging["formatters"]["json"] = {"()": "attune.core.json_logging.JsonLines"}
_json_logging["handlers"]["console"]["formatter"] = "json"
_json_logging["loggers"]["attune.requests"] = {"level": "INFO"}
LOGGING = _json_logging
