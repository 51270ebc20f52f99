"""Someone who has forgotten their password asks for a reset link from the sign-in page, opens
the link from their email, chooses a new password and signs in with it. The link works once."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.notifications.models import Message

Check = Callable[[Page, str], None]
NEW_PASSWORD = "three unrelated words and more"


def test_person_resets_a_forgotten_password(page: Page, practitioner: User, auth, checkpoint: Check) -> None:
    # Given a practitioner with an authenticator app who has forgotten her password
    device = auth.authenticator_app(practitioner)

    # When she follows "Forgotten your password?" from the sign-in page
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page).to_have_url(re.compile(r"/sign-in/forgot$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    expect(page.get_by_text("To reset two-factor sign-in, ask your system administrator")).to_be_visible()
    checkpoint(page, "forgot")

    # And asks for a link for her email address
    page.get_by_label("Email address").fill(practitioner.email.upper())
    page.get_by_role("button", name="Send a reset link").click()

    # Then she is told to check her email, in words that say nothing about whether she has an account
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text("If that address has an account, we have sent a link")).to_contain_text(
        "It works for 60 minutes."
    )
    checkpoint(page, "sent")

    # And one email waits in the outbox for her, with the link
    message = Message.objects.get(to=practitioner.email)
    assert message.subject == "Reset your Attune password"
    found = re.search(r"https?://\S+/account/reset/\S+", message.body)
    assert found, message.body
    link = found.group(0)

    # When she opens the link and types two different passwords
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill("something else entirely here")
    page.get_by_role("button", name="Save password").click()

    # Then she is told they do not match
    expect(page).to_have_title(re.compile(r"^Error: Choose a password"))
    expect(page.locator(".nhsuk-error-message")).to_contain_text("The passwords do not match")
    checkpoint(page, "mismatch")

    # When she types the new password twice
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()

    # Then she is back at sign-in, told her password has been reset
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.get_by_text("Your password has been reset")).to_be_visible()

    # And she signs in with the new password and her security code
    auth.enter_password(page, practitioner.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(auth.code(device.bin_key))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Pat")

    # And the link does not work a second time
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired or has already been used")
    expect(page.get_by_role("link", name="Ask for a new one")).to_be_visible()
    checkpoint(page, "used-link")
