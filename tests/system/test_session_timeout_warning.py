"""Before the 30-minute idle sign-out the page warns the person and offers to keep them signed in;
while they type, the page keeps the session alive so a long entry is not lost to the timer."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from attune.accounts.models import User

Check = Callable[[Page, str], None]


def test_warning_before_the_idle_sign_out_and_staying_signed_in(
    page: Page, practitioner: User, auth, checkpoint: Check
) -> None:
    # Given a practitioner signed in, with the page's clock under the test's control
    page.clock.install()
    auth.sign_in(page, practitioner)
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_hidden()

    # When she leaves the page alone for 28 and a half minutes
    page.clock.fast_forward("28:30")

    # Then a warning says she will be signed out soon, and how long she has
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("You will be signed out in 1 minute 30 seconds")
    checkpoint(page, "warning")

    # When she chooses to stay signed in
    with page.expect_response(re.compile(r"/account/keep-alive$")) as kept:
        dialog.get_by_role("button", name="Stay signed in").click()

    # Then the server restarts her idle clock and the warning closes
    assert kept.value.status == 204
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("20:00")
    expect(dialog).to_be_hidden()
    checkpoint(page, "stayed")


def test_typing_keeps_the_session_alive(page: Page, practitioner: User, auth, checkpoint: Check) -> None:
    # Given a practitioner part-way through a form
    page.clock.install()
    auth.sign_in(page, practitioner)
    page.goto("/account/change-password")
    page.clock.fast_forward("06:00")

    # When she types
    with page.expect_response(re.compile(r"/account/keep-alive$")) as kept:
        page.get_by_label("Current password").press_sequentially("abc")

    # Then the page tells the server she is still there, and no warning shows
    assert kept.value.status == 204
    page.clock.fast_forward("27:00")
    expect(page.get_by_role("dialog")).to_be_hidden()
    checkpoint(page, "typing")


def test_signing_out_from_the_warning(page: Page, practitioner: User, auth, checkpoint: Check) -> None:
    page.clock.install()
    auth.sign_in(page, practitioner)
    page.clock.fast_forward("29:00")
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    dialog.get_by_role("button", name="Sign out now").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    checkpoint(page, "signed-out")
