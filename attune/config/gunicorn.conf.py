# noqa: N999 - gunicorn's usual name for its configuration file, never imported as a module
"""gunicorn's settings for Attune in production (bin/serve-production, docs/deploy/). Values
come from the environment, like Django's settings."""

import os

# Where to listen: behind the reverse proxy, on loopback (or a unix socket: unix:/run/attune.sock).
bind = [os.environ.get("ATTUNE_BIND", "127.0.0.1:8000")]
# Synchronous workers, each serving one request at a time: 2-4 per core is the usual guide.
workers = int(os.environ.get("ATTUNE_WEB_WORKERS", "3"))
worker_class = "sync"
# A request still running after this many seconds is killed (and its worker replaced).
timeout = int(os.environ.get("ATTUNE_WEB_TIMEOUT", "60"))
# On SIGTERM, requests in progress have this long to finish before their workers are killed.
graceful_timeout = int(os.environ.get("ATTUNE_GRACEFUL_TIMEOUT", "30"))
# Replace each worker after about a thousand requests: a slow leak never grows for long.
max_requests = 1000
max_requests_jitter = 100
# No access log: the app writes one JSON line per request (attune.core.request_log), with the
# request id, user id, duration and query count that gunicorn's access log cannot know.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("ATTUNE_LOG_LEVEL", "info").lower()
# gunicorn's own lines (starting, stopping, a worker timing out) as JSON lines too.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "attune.core.json_logging.JsonLines"}},
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
    # gunicorn's default root names a handler replaced above; Django configures the root itself.
    "root": {"level": "WARNING", "handlers": []},
}
# Control what the proxy may tell us: Django trusts X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER);
# the proxy must set it and strip any a client sent (docs/deploy/nginx.conf).
forwarded_allow_ips = os.environ.get("ATTUNE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "attune-web"
# No runtime control socket (gunicorn 24+): systemd or the container runtime manages the process,
# and it would need a writable home directory.
control_socket_disable = True
