"""A parent on a phone opens Attune for the first time (issue 18): the public referral start page,
and the first page of a questionnaire link. Each is loaded cold (a new browser, nothing cached) on
a throttled phone, Fast 3G and a CPU four times slower, and what crosses the network is counted.

The pages are served as `make run` serves them, not as the other journeys are: static files
collected with local.py's storage (hashed names, gzip copies) into a folder of their own, and
WhiteNoise reading that folder, with no Django static-files handler in front of it. So what this
measures is what a phone gets from `make run` (and production, which uses the same storage)."""

import ast
import copy
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import CDPSession, Page, expect
from pytest_django.live_server_helper import LiveServer

from attune.accounts.models import User
from attune.care.tests.factories import open_episode
from attune.config.settings import base
from attune.organisations.tests.world import World
from attune.outcomes.links import link_url
from attune.outcomes.tests.factories_links import send

Check = Callable[[Page, str], None]
# Chromium's network and CPU throttling run on the clock that libfaketime moves in the date proof
# (make test-dates), where a throttled page never finishes loading: what a phone is sent does not
# depend on the date, and these run in every other pass (today's, on PostgreSQL, in CI).
pytestmark = pytest.mark.skipif(
    "FAKETIME" in os.environ, reason="throttled timings need the real clock; the date proof moves it"
)
PHONE = {"width": 375, "height": 667}
LOCAL_SETTINGS = Path(base.__file__).with_name("local.py")
# Issue 18's budget for a public or parent page's first load, in bytes on the wire.
BUDGET = 100_000
# Chrome DevTools' "Fast 3G" as the issue measured it: 150 ms round trip, 1.6 Mbps down, 750 Kbps up.
FAST_3G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
# And its target for the Largest Contentful Paint there, in milliseconds.
LCP_TARGET_MS = 1500
LCP_TRIES = 3
A_YEAR = 365 * 24 * 60 * 60
# Largest Contentful Paint, read after the page has loaded: the last candidate the browser reported.
WATCH_LCP = """
window.__lcp = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__lcp = entry.startTime;
}).observe({type: "largest-contentful-paint", buffered: true});
"""


def make_run_static_settings() -> dict[str, Any]:
    """The static-file settings `make run` serves with: base.py's, with local.py's own on top.
    local.py is read rather than imported, because importing it would change this process's
    database settings."""
    chosen: dict[str, Any] = {
        "STORAGES": base.STORAGES,
        "WHITENOISE_USE_FINDERS": False,
        "WHITENOISE_AUTOREFRESH": False,
    }
    for node in ast.parse(LOCAL_SETTINGS.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name == "STORAGES" or name.startswith("WHITENOISE_"):
                chosen[name] = ast.literal_eval(node.value)
    return chosen


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`manage.py collectstatic` as `make run` runs it, into a folder of this test's own."""
    static = {**make_run_static_settings(), "STATIC_ROOT": tmp_path_factory.mktemp("staticfiles")}
    with override_settings(**static):
        call_command("collectstatic", interactive=False, verbosity=0)
    return static


@pytest.fixture
def live_server(collected: dict[str, Any]) -> Iterator[LiveServer]:
    """This module's own live server: the WSGI application alone, as runserver runs it in
    `make run` (DEBUG off, so runserver adds no static-files handler), with `make run`'s static
    settings while it starts (WhiteNoise reads them then) and while it serves."""
    with override_settings(DEBUG=False, **collected):
        server = LiveServer("localhost", start=False)
        server.thread.static_handler = lambda _media_handler: WSGIHandler()
        server.start()
        yield server
        server.stop()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@dataclass
class Loaded:
    """What crossed the network for one page load, from the browser's own accounts (CDP)."""

    responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    bytes_by_request: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)

    @property
    def transferred(self) -> int:
        return sum(self.bytes_by_request.values())

    def summary(self) -> str:
        rows = []
        for request_id, response in self.responses.items():
            headers = {k.lower(): v for k, v in response["headers"].items()}
            rows.append(
                f"  {self.bytes_by_request.get(request_id, 0):>7} B  {response['status']}  "
                f"{headers.get('content-encoding', '-'):<5} {urlsplit(response['url']).path}"
            )
        return "\n".join(rows)


def throttled_phone(page: Page) -> tuple[CDPSession, Loaded]:
    """Throttle the page to a phone on Fast 3G, and count every response it receives."""
    loaded = Loaded()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    cdp.on(
        "Network.responseReceived", lambda event: loaded.responses.__setitem__(event["requestId"], event["response"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda event: loaded.bytes_by_request.__setitem__(event["requestId"], int(event["encodedDataLength"])),
    )
    cdp.on("Network.loadingFailed", lambda event: loaded.failed.append(json.dumps(event)))
    page.set_viewport_size(PHONE)
    page.add_init_script(WATCH_LCP)
    return cdp, loaded


def first_load(
    page: Page, server: LiveServer, name: str, path: str, heading: str | re.Pattern[str]
) -> tuple[Loaded, float]:
    """Open `path` cold on the throttled phone; return what crossed the network and the LCP (ms).

    The server has answered the page once already, unthrottled, as a running service has: Jinja
    compiles each template on its first use, a cost of the test's fresh server, not the phone's."""
    with urlopen(server.url + path) as warm_up:  # noqa: S310 - the test's own server
        assert warm_up.status == 200
    cdp, loaded = throttled_phone(page)
    page.goto(path, wait_until="load")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.wait_for_load_state("networkidle")
    lcp = float(page.evaluate("() => window.__lcp"))
    assert lcp > 0, "The browser reported no Largest Contentful Paint"
    first = copy.deepcopy(loaded)  # the bytes of the first load alone
    # A test machine busy with other work slows the throttled page further: the paint is the
    # best of up to three cold loads, the bytes always the first's.
    for _ in range(LCP_TRIES - 1):
        if lcp < LCP_TARGET_MS:
            break
        cdp.send("Network.clearBrowserCache")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        page.goto(path, wait_until="load")
        page.wait_for_load_state("networkidle")
        lcp = min(lcp, float(page.evaluate("() => window.__lcp")) or lcp)
    loaded = first
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    cdp.send(
        "Network.emulateNetworkConditions", {**FAST_3G, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    )
    print(f"\nFirst load of the {name}: {loaded.transferred} bytes, LCP {lcp:.0f} ms on Fast 3G, CPU / {CPU_SLOWDOWN}")
    print(loaded.summary())
    return loaded, lcp


def assert_light_and_cached(loaded: Loaded, server_url: str) -> None:
    """Within the budget, nothing from another host, nothing missing, and the CSS and scripts
    compressed with year-long immutable caching."""
    assert loaded.transferred <= BUDGET, f"{loaded.transferred} bytes on the first load:\n{loaded.summary()}"
    assert not loaded.failed, loaded.failed
    server = urlsplit(server_url).netloc
    for response in loaded.responses.values():
        url = urlsplit(response["url"])
        assert url.netloc == server, f"A request to another host: {response['url']}"
        assert response["status"] < 400, f"{response['status']} for {url.path}"
        headers = {k.lower(): v for k, v in response["headers"].items()}
        if url.path.endswith((".css", ".js", ".mjs")):
            assert headers.get("content-encoding") in ("gzip", "br"), f"{url.path} is sent uncompressed"
            cache_control = headers.get("cache-control", "")
            max_age = re.search(r"max-age=(\d+)", cache_control)
            assert max_age, f"{url.path}: Cache-Control {cache_control!r}"
            assert int(max_age.group(1)) >= A_YEAR, f"{url.path}: Cache-Control {cache_control!r}"
            assert "immutable" in cache_control, f"{url.path}: Cache-Control {cache_control!r}"
    assert any(urlsplit(r["url"]).path.endswith(".css") for r in loaded.responses.values())


def test_public_start_page_is_light_on_a_phone(
    page: Page, live_server: LiveServer, world: World, checkpoint: Check
) -> None:
    # Given a referrer or parent with a phone, who has never opened Attune
    # When they open the service's start page on Fast 3G
    loaded, lcp = first_load(page, live_server, "public start page", "/refer", re.compile("^Refer "))

    # Then it costs at most 100 KB, all of it from Attune, compressed and cacheable for a year
    assert_light_and_cached(loaded, live_server.url)
    # And its largest text is on the screen within one and a half seconds
    assert lcp < LCP_TARGET_MS, f"Largest Contentful Paint at {lcp:.0f} ms"
    checkpoint(page, "start")


def test_questionnaire_link_is_light_on_a_phone(
    page: Page, live_server: LiveServer, world: World, practitioner: User, checkpoint: Check
) -> None:
    # Given a mother sent a questionnaire link by her practitioner
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - timedelta(days=21))
    _link, token = send(episode, practitioner)

    # When she opens it on her phone on Fast 3G, with nothing cached
    loaded, lcp = first_load(
        page, live_server, "questionnaire link", link_url(token), "What is your baby's date of birth?"
    )

    # Then it costs at most 100 KB, all of it from Attune, compressed and cacheable for a year
    assert_light_and_cached(loaded, live_server.url)
    # And the question is on the screen within one and a half seconds
    assert lcp < LCP_TARGET_MS, f"Largest Contentful Paint at {lcp:.0f} ms"
    checkpoint(page, "date-of-birth")
