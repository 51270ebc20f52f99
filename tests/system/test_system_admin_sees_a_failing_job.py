"""A system administrator sees, from their home page, that the worker is running and that one
scheduled job keeps failing: its last error (no stack trace), and that it is being retried."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.core import jobs, worker

Check = Callable[[Page, str], None]


def _sends() -> None:
    pass


def _refused() -> None:
    raise PermissionError("GOV.UK Notify refused the API key")


def test_system_admin_sees_a_failing_job_and_the_workers_heartbeat(
    page: Page, system_admin: User, auth, checkpoint: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the worker has run two jobs, one of which failed
    monkeypatch.setattr(jobs, "_jobs", {})
    jobs.register("send_outbox", _refused, every=timedelta(minutes=1), description="Send queued texts and emails")
    jobs.register("check_lone_working", _sends, every=timedelta(minutes=5), description="Check home visits")
    worker.run_once("worker-1")

    # When the system administrator opens Scheduled jobs from their home page
    auth.sign_in(page, system_admin)
    page.get_by_role("link", name="Scheduled jobs").click()

    # Then they see the worker is running, and which job failed and why
    expect(page.get_by_role("heading", level=1)).to_have_text("Scheduled jobs")
    expect(page.locator("main")).to_contain_text("The worker is running")
    failing = page.locator(".nhsuk-card", has=page.get_by_role("heading", name="Send queued texts and emails"))
    expect(failing).to_contain_text("Every minute")
    expect(failing).to_contain_text("Failed")
    expect(failing).to_contain_text("PermissionError: GOV.UK Notify refused the API key")
    expect(failing).to_contain_text("1 in a row (retrying with backoff)")
    expect(failing).not_to_contain_text("Traceback")
    working = page.locator(".nhsuk-card", has=page.get_by_role("heading", name="Check home visits"))
    expect(working).to_contain_text("Succeeded")
    checkpoint(page, "scheduled-jobs")

    # And the back link takes them home
    page.get_by_role("link", name="Home").first.click()
    expect(page.get_by_role("link", name="Scheduled jobs")).to_be_visible()
