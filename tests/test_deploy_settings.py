"""Production settings pass Django's deployment checklist and refuse unsafe configurations
(S1, DESIGN.md convention 11). Each case runs in a fresh Python process, as production would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_ENV = {
    "DJANGO_SETTINGS_MODULE": "attune.config.settings.production",
    "ATTUNE_SECRET_KEY": "k7#Qp2!vX9@mR4$wL8^zT1&nB6*yH3(dF5)gJ0-sA2+eC7=uN4_oP9?iK1%",
    "ATTUNE_ALLOWED_HOSTS": "attune.example.nhs.uk,testserver",
    "DATABASE_URL": "sqlite://:memory:",
}


def _run(code: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATTUNE_", "DJANGO_", "DATABASE_URL"))}
    env.update(GOOD_ENV)
    env.update(overrides)
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_reports_nothing() -> None:
    result = _run(
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ATTUNE_DEBUG": "1"}, "ATTUNE_DEBUG must be off"),
        ({"ATTUNE_DEMO": "1"}, "ATTUNE_DEMO must be off"),
        ({"ATTUNE_SECRET_KEY": ""}, "ATTUNE_SECRET_KEY"),
        ({"ATTUNE_SECRET_KEY": "attune-local-development-key-not-for-production"}, "ATTUNE_SECRET_KEY"),
        ({"ATTUNE_SECRET_KEY": "a" * 60}, "ATTUNE_SECRET_KEY"),
    ],
)
def test_production_refuses_to_start(overrides: dict[str, str], message: str) -> None:
    result = _run("import django; django.setup()", **overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_sends_hsts_and_host_only_cookies() -> None:
    result = _run(
        "import django; django.setup();"
        "from django.conf import settings; from django.test import Client;"
        "r = Client().get('/healthz', secure=True);"
        "print(r['Strict-Transport-Security']);"
        "print(settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_NAME);"
        "print(Client().get('/sign-in').status_code, Client().get('/healthz').status_code)"
    )
    assert result.returncode == 0, result.stderr
    hsts, cookies, plain_http = result.stdout.strip().splitlines()
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert cookies == "__Host-attune-session True __Host-attune-csrf"
    # Plain HTTP is redirected to HTTPS, except the load balancer's health check.
    assert plain_http == "301 200"


def test_production_logs_json_lines_through_the_redacting_filters_with_a_line_per_request() -> None:
    result = _run(
        "import django, json, logging; django.setup();"
        "from django.conf import settings;"
        "m = settings.MIDDLEWARE; i = m.index('attune.core.middleware.RequestIdMiddleware');"
        "print(m[i + 1]);"
        "print(settings.LOGGING['handlers']['console']['formatter'], len(settings.LOGGING['handlers']['console']['filters']));"
        "logging.getLogger('attune.requests').info('%(path)s', {'path': '/q/Zq8mKx3vRn5tLw2p'})"
    )
    assert result.returncode == 0, result.stderr
    middleware, handler = result.stdout.strip().splitlines()
    assert middleware == "attune.core.request_log.RequestLogMiddleware"
    assert handler == "json 2"
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["logger"], line["path"]) == ("attune.requests", "/q/[token]")
