"""Browser journeys: the system Chromium driven by Playwright against pytest-django's live server.

Every test here is marked `system`. Each page a journey looks at is photographed into
test-results/screenshots and checked with axe-core (WCAG 2.2 AA rules); any console message
about the Content Security Policy fails the test, because Attune must need no inline script or
style. Helpers reach the tests as fixtures (`page`, `new_page`, `checkpoint`, `auth`), so no test
imports this file. When a journey fails, every page it had open is photographed as
<test>-failed-<n>.png.
"""

import base64
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright

from attune.accounts.models import User
from attune.accounts.tests.factories import PASSWORD, TOTPDeviceFactory

# Playwright's sync API keeps an asyncio loop in this thread, so Django would refuse ORM calls
# from the test (the fixtures, the checks on the database) without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Long enough for a slow CI machine, short enough that a broken journey fails quickly.
TIMEOUT_MS = 10_000
# Whether the test itself failed, for the fixtures' teardown to photograph what went wrong.
CALL_FAILED = pytest.StashKey[bool]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.system)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if call.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


# The browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser journeys need Chromium at {CHROMIUM}. Install it with: apt-get install -y chromium",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        # While Playwright's event loop runs in this thread, Django keeps this thread's database
        # connections apart from the ones it made before (asgiref treats the thread as async).
        # Close those now, or a test that ran after the journeys leaves one open and PostgreSQL
        # refuses to drop the test database ("being accessed by other users").
        connections.close_all()
        launched.close()


@dataclass
class Watched:
    """A browser context and what its pages said: console messages and uncaught script errors."""

    context: BrowserContext
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        csp = [text for text in self.console if "content security policy" in text.lower()]
        return [f"Content Security Policy: {text}" for text in csp] + [
            f"Uncaught script error: {text}" for text in self.errors
        ]


@pytest.fixture
def watched() -> dict[BrowserContext, Watched]:
    return {}


@pytest.fixture
def new_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, watched: dict[BrowserContext, Watched]
) -> Iterator[Callable[[], Page]]:
    """new_page() -> a page in a fresh browser context (its own cookies: another person's browser).
    At the end of the test, any Content Security Policy report or uncaught script error fails it."""

    def make() -> Page:
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 768})
        context.set_default_timeout(TIMEOUT_MS)
        watch = watched[context] = Watched(context)
        context.on("console", lambda message: _remember(watch, message))
        context.on("weberror", lambda error: watch.errors.append(str(error.error)))
        return context.new_page()

    yield make
    if request.node.stash.get(CALL_FAILED, False):
        _photograph_failure(request.node.name, [page for watch in watched.values() for page in watch.context.pages])
    problems = [problem for watch in watched.values() for problem in watch.problems()]
    for watch in watched.values():
        watch.context.close()
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


def _remember(watch: Watched, message: ConsoleMessage) -> None:
    watch.console.append(f"[{message.type}] {message.text} ({message.location.get('url', '')})")


def _photograph_failure(test_name: str, pages: list[Page]) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(pages, start=1):
        page.screenshot(path=str(SCREENSHOTS / f"{_file_name(test_name)}-failed-{number}.png"), full_page=True)


def _file_name(test_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name)


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()


# Checks on each page -----------------------------------------------------------------------


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page and fail with every WCAG 2.2 AA violation it finds.

    axe is put into the page with page.evaluate, which the page's CSP does not govern; a
    <script> tag would (rightly) be refused."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                targets: v.nodes.map((n) => n.target.join(" ")),
                summaries: v.nodes.map((n) => n.failureSummary),
            }));
        }""",
        AXE_TAGS,
    )
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            for target, summary in zip(v["targets"], v["summaries"], strict=True):
                lines.append(f"    at {target}: {' '.join(summary.split())}")
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """screenshot(page, step) -> test-results/screenshots/<test>-<nn>-<step>.png, full page.
    With ATTUNE_SCREENSHOTS=failures (CI, where nobody looks at them) only a failing journey's
    pages are photographed: a sixth of a journey's time goes on photographs."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = _file_name(request.node.name)
    for old in SCREENSHOTS.glob(f"{test_name}-*.png"):
        old.unlink()
    every_step = os.environ.get("ATTUNE_SCREENSHOTS", "all") != "failures"
    taken = 0

    def take(page: Page, step: str) -> Path:
        nonlocal taken
        taken += 1
        path = SCREENSHOTS / f"{test_name}-{taken:02d}-{step}.png"
        if every_step:
            page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def checkpoint(
    screenshot: Callable[[Page, str], Path], watched: dict[BrowserContext, Watched]
) -> Callable[[Page, str], None]:
    """checkpoint(page, step): photograph the page, check it with axe, and fail at once if the
    browser has reported a CSP violation or a script error so far."""

    def check(page: Page, step: str) -> None:
        page.wait_for_load_state("load")
        screenshot(page, step)
        problems = watched[page.context].problems()
        assert not problems, f"The browser reported problems by {page.url}:\n" + "\n".join(problems)
        assert_accessible(page)

    return check


# Signing in --------------------------------------------------------------------------------


class Auth:
    """How the journeys sign people in, as a person would: passwords, authenticator apps, codes."""

    @staticmethod
    def authenticator_app(user: User) -> TOTPDevice:
        """Give the person a confirmed authenticator app (as if set up on an earlier day)."""
        device: TOTPDevice = TOTPDeviceFactory(user=user)
        return device

    @staticmethod
    def code(key: bytes) -> str:
        """The 6-digit code an authenticator app with this secret shows right now."""
        return f"{totp(key):06d}"

    @staticmethod
    def wrong_code(key: bytes) -> str:
        """A 6-digit code the app is not showing now, nor one step either side."""
        near = {totp(key, drift=drift) for drift in range(-2, 3)}
        return next(f"{n:06d}" for n in range(123456, 1_000_000) if n not in near)

    @staticmethod
    def key_from_set_up_page(text: str) -> bytes:
        """The key shown on the set-up page, in groups of 4 base32 characters, as bytes."""
        secret = "".join(text.split()).upper()
        return base64.b32decode(secret + "=" * (-len(secret) % 8))

    @staticmethod
    def wait_until_codes_accepted(user: User) -> None:
        """After a wrong code django-otp refuses every code for a second or more (throttling);
        a person would simply be typing again."""
        deadline = time.monotonic() + 10
        for device in TOTPDevice.objects.filter(user=user):
            while not device.verify_is_allowed()[0]:
                assert time.monotonic() < deadline, "The authenticator app stayed throttled"
                time.sleep(0.1)
                device.refresh_from_db()

    @staticmethod
    def enter_password(page: Page, email: str, password: str = PASSWORD) -> None:
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Continue").click()

    def sign_in(self, page: Page, user: User) -> None:
        """The whole sign-in, password then code, ending on the home page. Gives the person an
        authenticator app first if they have none."""
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or self.authenticator_app(user)
        page.goto("/sign-in")
        self.enter_password(page, user.email)
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        page.get_by_label("Security code").fill(self.code(device.bin_key))
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {user.full_name.split()[0]}")


@pytest.fixture
def auth() -> Auth:
    return Auth()
