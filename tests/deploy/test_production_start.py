"""The production path, end to end (issue 17): `bin/serve-production` (what `make
serve-production` runs) with production settings from the environment, against a PostgreSQL
database of its own, on a free port. It migrates and collects the static files, then serves with
gunicorn and runs the worker; a person signs in with both factors over HTTP, as a browser behind
the TLS-terminating proxy would, and the JSON log says who asked for what. SIGTERM stops both.

PostgreSQL only (`make test` on CI's PostgreSQL run): production runs on PostgreSQL, and the
SQLite run would only prove less, more slowly."""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.conf import settings
from django_otp.oath import totp

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE = settings.DATABASES["default"]

pytestmark = pytest.mark.skipif(
    DATABASE["ENGINE"] != "django.db.backends.postgresql",
    reason="the production start-up test runs on PostgreSQL only (DATABASE_URL=postgres://...): production's database",
)

# Seconds. The whole test takes about 25 s, most of it migrating an empty database; the limit
# leaves room for a CI machine busy with the rest of the suite.
START_WITHIN = 60
STOP_WITHIN = 15
PASSWORD = "a long passphrase nobody would guess 4711"  # a throwaway test account
EMAIL = "first.admin@example.nhs.uk"
NAME = "Ada Quarrington-Whitlow"

# Creates the first system administrator in the server's database, with a password and a
# confirmed authenticator app; prints the user's id and the app's key.
CREATE_ACCOUNT = f"""
from django_otp.plugins.otp_totp.models import TOTPDevice
from attune.core.actors import Actor
from attune.organisations import services
_, user, _ = services.set_up_first_administrator(
    actor=Actor.system("setup_service", label="test"), organisation_name="Example Hospitals NHS FT",
    ods_code="RXX", admin_name={NAME!r}, admin_email={EMAIL!r})
user.set_password({PASSWORD!r})
user.save()
device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
print(user.pk, device.key)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        dbname="postgres",
        host=DATABASE["HOST"] or None,
        port=DATABASE["PORT"] or None,
        user=DATABASE["USER"] or None,
        password=DATABASE["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture
def database_url() -> Iterator[str]:
    """A fresh, empty database of this test's own, dropped afterwards."""
    name = f"attune_prodtest_{os.getpid()}"
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    user = DATABASE["USER"] or ""
    password = f":{DATABASE['PASSWORD']}" if DATABASE["PASSWORD"] else ""
    host = f"{DATABASE['HOST'] or '127.0.0.1'}:{DATABASE['PORT'] or 5432}"
    # Commits that do not wait for the disk: the test database is thrown away, and migrating an
    # empty database is then several times faster on a busy CI machine. Production keeps the default.
    try:
        yield f"postgres://{user}{password}@{host}/{name}?options=-c%20synchronous_commit%3Doff"
    finally:
        with _admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Browser:
    """Just enough of a browser behind the proxy: every request says it came over HTTPS
    (X-Forwarded-Proto, as docs/deploy/nginx.conf sets it), and it keeps its own cookies, since
    the __Host- cookies are Secure and a cookie jar would not send them over plain HTTP."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value and "max-age=0" not in header.lower():
                    self.cookies[name] = value
                else:
                    self.cookies.pop(name, None)
            return response.status, dict(response.headers.items()), text
        finally:
            connection.close()

    def csrf_token(self, page: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, "no CSRF token on the page"
        return found.group(1)


def _wait_for_health(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_WITHIN
    while time.monotonic() < deadline:
        assert server.poll() is None, f"bin/serve-production stopped early:\n{log.read_text()[-4000:]}"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail(f"/healthz did not answer within {START_WITHIN} s:\n{log.read_text()[-4000:]}")


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # Exited but not yet reaped shows as a zombie: that has stopped too.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


def test_production_command_serves_signed_in_pages_and_static_files_then_stops(
    database_url: str, tmp_path: Path
) -> None:
    port = _free_port()
    static_root = tmp_path / "static"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATTUNE_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "ATTUNE_SECRET_KEY": secrets.token_urlsafe(64),
            "ATTUNE_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "ATTUNE_BIND": f"127.0.0.1:{port}",
            "ATTUNE_WEB_WORKERS": "2",
            "ATTUNE_STATIC_ROOT": str(static_root),
            # The worker takes its first daily backup at once: not into the checkout.
            "ATTUNE_BACKUP_DIR": str(tmp_path / "backups"),
            "ATTUNE_PYTHON": sys.executable,
            "ATTUNE_GRACEFUL_TIMEOUT": "5",
        }
    )
    log = tmp_path / "server.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(  # noqa: S603 - our own script
            [str(ROOT / "bin" / "serve-production")],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for_health(port, server, log)

        created = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "manage.py", "shell", "-c", CREATE_ACCOUNT],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "attune.config.settings.production"},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert created.returncode == 0, created.stderr
        user_id, key = created.stdout.split()[-2:]

        browser = Browser(port)
        status, _, page = browser.request("GET", "/sign-in")
        assert status == 200
        status, headers, _ = browser.request(
            "POST", "/sign-in", {"csrfmiddlewaretoken": browser.csrf_token(page), "email": EMAIL, "password": PASSWORD}
        )
        assert (status, headers["Location"]) == (302, "/sign-in/security-code"), status
        status, _, page = browser.request("GET", "/sign-in/security-code")
        code = f"{totp(bytes.fromhex(key), step=30, t0=0, digits=6):06d}"
        status, headers, _ = browser.request(
            "POST", "/sign-in/security-code", {"csrfmiddlewaretoken": browser.csrf_token(page), "code": code}
        )
        assert status == 302, status
        assert "__Host-attune-session" in browser.cookies

        status, headers, page = browser.request("GET", "/")
        assert status == 200
        assert "Ada" in page
        assert "Sign out" in page
        home_request_id = headers["X-Request-ID"]

        # A static file by its hashed name, from the manifest collectstatic wrote.
        manifest = json.loads((static_root / "staticfiles.json").read_text())
        stylesheet = manifest["paths"]["build/attune.css"]
        assert stylesheet != "build/attune.css"
        status, headers, css = browser.request("GET", f"/static/{stylesheet}")
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert "immutable" in headers["Cache-Control"]
        assert css.strip()

        # A questionnaire link's token never reaches the log, in the message or the path field.
        link_token = "Zq8mKx3vRn5tLw2p"
        assert browser.request("GET", f"/q/{link_token}")[0] in (200, 404, 410)
    finally:
        pids = [int(pid) for pid in re.findall(r"started \(pid (\d+)\)", log.read_text())]
        started_stopping = time.monotonic()
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        try:
            returncode = server.wait(timeout=STOP_WITHIN)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            pytest.fail(f"bin/serve-production did not stop within {STOP_WITHIN} s of SIGTERM")
        stopped_in = time.monotonic() - started_stopping

    output = log.read_text()
    assert returncode == 0, output[-4000:]
    assert stopped_in < STOP_WITHIN
    # The web server and the worker (if this version has one) both started, and both stopped.
    has_worker = "worker started" in output
    assert len(pids) == (2 if has_worker else 1), output[-4000:]
    assert not [pid for pid in pids if _is_running(pid)]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1)

    lines = _json_lines(output)
    requests = [line for line in lines if line["logger"] == "attune.requests"]
    home = next(line for line in requests if line["path"] == "/" and line["status"] == 200)
    assert home["request_id"] == home_request_id
    assert home["user_id"] == user_id
    assert home["method"] == "GET"
    assert isinstance(home["duration_ms"], float | int)
    assert home["duration_ms"] >= 0
    assert isinstance(home["queries"], int)
    assert home["queries"] > 0
    health = next(line for line in requests if line["path"] == "/healthz")
    assert health["user_id"] is None
    assert isinstance(health["queries"], int)
    assert health["queries"] >= 1
    # Nothing names the person: their id only.
    assert NAME not in output
    assert "Ada" not in output
    assert EMAIL not in output
    assert link_token not in output
    assert any(line["path"] == "/q/[token]" for line in requests)
    # gunicorn's own lines are JSON too; it has no access log of its own.
    assert any(line["logger"] == "gunicorn.error" for line in lines)
