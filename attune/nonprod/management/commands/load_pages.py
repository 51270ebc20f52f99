"""`make load`: what each main page costs under load, on the region-scale dataset.

Starts gunicorn (LOAD_WORKERS workers, default 4) with the production settings on a free
loopback port against the database DATABASE_URL names (the region `make_region` built; `make
load` uses attune_bench on PostgreSQL), then a small threaded client (http.client) requests a mix
of the main pages as region people: practitioners, the hub's team lead and coordinator, a
commissioner and the IG lead. Three runs, each bounded in time:

- 2 clients for LOAD_SECONDS (default 30): what each page costs;
- 20 clients for LOAD_SECONDS: what each costs when the server is busy;
- an open run at LOAD_RATE requests a second (default 60) for LOAD_SUSTAIN seconds (default 60):
  the throughput achieved and the backlog (how late requests were sent against the schedule).

Signing in: the people's sessions are written straight into the database, as a real sign-in with
both factors leaves them (as `bench_reports` does), signed with a random key made for this run and
given to gunicorn. No setting waives two-factor, and nothing but this process knows the key.
Loopback only: gunicorn listens on 127.0.0.1 and the client tells it the request came over HTTPS
(X-Forwarded-Proto from 127.0.0.1, as the reverse proxy does in production).

The arithmetic (percentiles, ratios, the schedule, the backlog) is in attune/nonprod/load.py.
"""

import http.client
import itertools
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from attune.accounts.models import User, UserSession
from attune.core import periods
from attune.nonprod import load, region, sessions
from attune.organisations.models import Service, Team, TeamKind
from attune.referrals.models import Referral

HOST = "127.0.0.1"
SESSION_COOKIE = "__Host-attune-session"  # production.py's SESSION_COOKIE_NAME
TRIVIAL = "Account"
BASE_DIR = Path(settings.BASE_DIR)


@dataclass(frozen=True)
class Page:
    name: str
    visits: tuple[tuple[str, str], ...]  # (session key, path): taken in turn


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    try:
        return float(value) if value else default
    except ValueError as bad:
        raise CommandError(f"{name} must be a number of seconds or requests a second, not {value!r}") from bad


class Command(BaseCommand):
    help = "Request the main pages as region people through gunicorn and print what each costs under load."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=float, default=_env_number("LOAD_SECONDS", 30))
        parser.add_argument("--rate", type=float, default=_env_number("LOAD_RATE", 60))
        parser.add_argument("--sustain", type=float, default=_env_number("LOAD_SUSTAIN", 60))
        parser.add_argument("--workers", type=int, default=int(_env_number("LOAD_WORKERS", 4)))
        parser.add_argument("--clients", default="2,20", help="The closed runs' numbers of clients")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Service.objects.filter(name=region.SERVICE_NAME).exists():
            raise CommandError("No region dataset in this database: build it with `manage.py make_region`.")
        key = secrets.token_urlsafe(60)
        self.session_keys: list[str] = []
        pages = self._pages(key)
        engine = "PostgreSQL" if connection.vendor == "postgresql" else connection.vendor.capitalize()
        connection.close()  # gunicorn's workers are the only users of the database from here on
        try:
            self._serve_and_load(key, pages, engine, options)
        finally:
            self._sign_out()

    def _serve_and_load(self, key: str, pages: list[Page], engine: str, options: dict[str, Any]) -> None:
        with tempfile.TemporaryDirectory(prefix="attune-load-") as scratch:
            port = _free_port()
            server, log = self._start(key, port, Path(scratch), options["workers"])
            try:
                self._wait_until_up(port, server, log)
                self._check(port, pages)
                self.stdout.write(
                    f"{engine}, gunicorn with {options['workers']} workers (production settings) on {HOST}:{port}; "
                    f"{len(pages)} pages, {os.cpu_count()} cores"
                )
                for clients in (int(n) for n in options["clients"].split(",") if n.strip()):
                    samples = self._closed(port, pages, clients, options["seconds"])
                    rows = load.summarise(samples, [page.name for page in pages], TRIVIAL)
                    self.stdout.write("")
                    for line in load.table(f"{clients} clients for {options['seconds']:g} s", rows, TRIVIAL):
                        self.stdout.write(line)
                    self.stdout.write(
                        f"{len(samples)} requests in {options['seconds']:g} s: "
                        f"{len(samples) / options['seconds']:.1f} a second."
                    )
                if options["sustain"] > 0 and options["rate"] > 0:
                    result = self._open(port, pages, options["rate"], options["sustain"])
                    self.stdout.write("")
                    for line in load.sustained_lines(result):
                        self.stdout.write(line)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()

    # The people and their pages.

    def _sign_out(self) -> None:
        """End this run's sessions: they were signed with a key nobody else has, so they are of no
        use after it, and the region keeps no trace of the run but its audit events."""
        keys = getattr(self, "session_keys", [])
        UserSession.objects.filter(session_key__in=keys).delete()
        Session.objects.filter(session_key__in=keys).delete()

    def _session(self, user: User, key: str) -> str:
        """A session as a real sign-in with both factors leaves it, signed with this run's key."""
        with override_settings(SECRET_KEY=key, SECRET_KEY_FALLBACKS=[]):
            session_key = sessions.signed_in(user).session.session_key
        assert session_key is not None
        self.session_keys.append(session_key)
        return session_key

    def _pages(self, key: str) -> list[Page]:
        def person(label: str) -> str:
            return self._session(User.objects.get(email=f"region-{label}@{region.EMAIL_DOMAIN}"), key)

        hub = Team.objects.get(service__name=region.SERVICE_NAME, kind=TeamKind.HUB)
        icb = Service.objects.get(name=region.SERVICE_NAME).commissioner
        practitioners = [person(f"practitioner-{n}") for n in (10, 11, 12, 13)]
        lead, coordinator = person("lead-1"), person("coordinator-1")
        commissioner, ig_lead = person("commissioner-1"), person("ig-lead-3")
        today = timezone.localdate()
        quarter = periods.last_complete_quarter(today)
        year = periods.financial_year(periods.financial_year_of(today) - 1)
        families: list[uuid.UUID] = list(
            Referral.objects.filter(team=hub).order_by("family_id").values_list("family_id", flat=True).distinct()[:20]
        )
        if not families:
            raise CommandError("The region's hub has no referrals.")
        surnames = list(region.FAMILY_NAMES[:8])

        def each(sessions: list[str], path: str) -> tuple[tuple[str, str], ...]:
            return tuple((session, path) for session in sessions)

        return [
            Page(TRIVIAL, each(practitioners, "/account")),
            Page("Home (practitioner)", each(practitioners, "/")),
            Page("Home (team lead)", each([lead], "/")),
            Page("Caseload", each(practitioners, "/caseload")),
            Page("Diary", each(practitioners, "/diary")),
            Page("Waiting list", each([lead], f"/teams/{hub.pk}/waiting-list")),
            Page("Team caseloads", each([lead], f"/teams/{hub.pk}/caseloads")),
            Page("Family", tuple((lead, f"/families/{family}") for family in families)),
            Page("Search", tuple((coordinator, f"/search?q={surname}") for surname in surnames)),
            Page("Team quarter report", each([lead], f"/reports/teams/{hub.pk}/?period={quarter.key}")),
            Page("ICB year report", each([commissioner], f"/reports/organisations/{icb.pk}/?period={year.key}")),
            Page("Audit log", each([ig_lead], "/audit")),
        ]

    # The server.

    def _start(self, key: str, port: int, scratch: Path, workers: int) -> tuple[subprocess.Popen[bytes], Path]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "attune.config.settings.production",
            "ATTUNE_SECRET_KEY": key,
            "ATTUNE_ALLOWED_HOSTS": HOST,
            "ATTUNE_BIND": f"{HOST}:{port}",
            "ATTUNE_WEB_WORKERS": str(workers),
            "ATTUNE_STATIC_ROOT": str(scratch / "static"),
            "ATTUNE_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("ATTUNE_DEBUG", None)
        env.pop("ATTUNE_DEMO", None)
        log = scratch / "gunicorn.log"
        # The production storage serves hashed names from a manifest: collect into the scratch space.
        collected = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if collected.returncode != 0:
            raise CommandError(f"collectstatic with the production settings failed:\n{collected.stderr[-3000:]}")
        with log.open("wb") as out:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config",
                    "attune/config/gunicorn.conf.py",
                    "attune.config.wsgi:application",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return server, log

    def _wait_until_up(self, port: int, server: subprocess.Popen[bytes], log: Path) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn stopped (status {server.returncode}):\n{log.read_text()[-3000:]}")
            try:
                if _get(port, "", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer /healthz within 60 s:\n{log.read_text()[-3000:]}")

    def _check(self, port: int, pages: list[Page]) -> None:
        """Every visit once (which warms each worker's caches a little): any that fails stops the run."""
        failed = []
        for page in pages:
            for session, path in page.visits:
                status, _ = _get(port, session, path)
                if status != 200:
                    failed.append(f"{page.name} {path}: {status}")
        if failed:
            raise CommandError("Some pages do not answer 200: " + "; ".join(failed))

    # The client.

    def _closed(self, port: int, pages: list[Page], clients: int, seconds: float) -> list[load.Sample]:
        """`clients` threads, each sending its next request when the last is answered, until time is up."""
        counter = itertools.count()
        lock = threading.Lock()
        samples: list[load.Sample] = []
        stop_at = time.monotonic() + seconds

        def client() -> None:
            while time.monotonic() < stop_at:
                with lock:
                    n = next(counter)
                name, session, path = _visit(pages, n)
                sample = _timed(port, name, session, path)
                with lock:
                    samples.append(sample)

        threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return samples

    def _open(self, port: int, pages: list[Page], rate: float, seconds: float) -> load.Sustained:
        """Requests due at `rate` a second whatever the answers do, sent by a pool of threads (a
        request is sent late only when every thread is waiting for an answer); none is sent after
        the schedule ends, and those sent are waited for."""
        due = load.schedule(rate, seconds)
        pool = max(8, min(200, int(rate * 2)))
        lock = threading.Lock()
        counter = itertools.count()
        samples: list[load.Sample] = []
        start = time.monotonic() + 0.5

        def sender() -> None:
            while True:
                with lock:
                    n = next(counter)
                if n >= len(due):
                    return
                wait = start + due[n] - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                sent = time.monotonic()
                if sent >= start + seconds:
                    return  # out of time: this request and those after it are the backlog left unsent
                name, session, path = _visit(pages, n)
                sample = _timed(port, name, session, path)
                with lock:
                    samples.append(
                        load.Sample(
                            name,
                            sample.seconds,
                            sample.error,
                            late=sent - start - due[n],
                            answered_at=time.monotonic() - start,
                        )
                    )

        threads = [threading.Thread(target=sender, daemon=True) for _ in range(pool)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return load.sustained(samples, due, rate, seconds)


def _visit(pages: list[Page], n: int) -> tuple[str, str, str]:
    """The n-th request of a run: the pages in turn, each page's visits in turn."""
    page = pages[n % len(pages)]
    session, path = page.visits[(n // len(pages)) % len(page.visits)]
    return page.name, session, path


def _get(port: int, session: str, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "User-Agent": "attune-load"}
        if session:
            headers["Cookie"] = f"{SESSION_COOKIE}={session}"
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _timed(port: int, name: str, session: str, path: str) -> load.Sample:
    started = time.perf_counter()
    try:
        status, _ = _get(port, session, path)
        error = status != 200
    except OSError:
        error = True
    return load.Sample(name, time.perf_counter() - started, error)
