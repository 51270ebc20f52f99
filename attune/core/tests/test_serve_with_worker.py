"""`make run`'s one command (manage.py serve_with_worker): the web server answers, the worker
beats, and one SIGINT (Ctrl+C) stops both. Real processes on a free port and a temporary SQLite
database."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - a local test server
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def _heartbeats(database: Path) -> int:
    try:
        with sqlite3.connect(database) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM core_workerheartbeat").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _until(check: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.25)
    return False


def test_make_run_starts_the_web_server_and_the_worker_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    database = tmp_path / "attune.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "attune.config.settings.local",
        "DATABASE_URL": f"sqlite:///{database}",
        "ATTUNE_BACKUP_DIR": str(tmp_path / "backups"),
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=180)  # noqa: S603
    # As `make run` does: the local settings serve collected static files (ADR 0018).
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, timeout=120)  # noqa: S603
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [*manage, "serve_with_worker", f"127.0.0.1:{port}", "--interval", "0.5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert _until(lambda: _status(f"http://127.0.0.1:{port}/healthz") == 200, 20), "the web never answered"
        assert _status(f"http://127.0.0.1:{port}/") in {200, 302}
        assert _until(lambda: _heartbeats(database) == 1, 20), "the worker never beat"
        server.send_signal(signal.SIGINT)
        server.wait(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0
    output = server.stdout.read().decode() if server.stdout else ""
    assert "Worker stopped." in output
    assert "Web server and worker stopped." in output
    assert _status(f"http://127.0.0.1:{port}/healthz") is None  # nothing left listening
