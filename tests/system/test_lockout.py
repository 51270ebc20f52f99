"""Five wrong passwords for one account lock it for 15 minutes: even the right password is then
refused (S4). Until then each failure says only that the email or password is wrong."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.core.models import AuditEvent

Check = Callable[[Page, str], None]


def test_five_wrong_passwords_lock_the_account(page: Page, practitioner: User, auth, checkpoint: Check) -> None:
    # Given a practitioner with an authenticator app, on the sign-in page
    auth.authenticator_app(practitioner)
    page.goto("/sign-in")

    # When someone gets her password wrong four times
    for attempt in range(1, 5):
        auth.enter_password(page, practitioner.email, f"not the password {attempt}")

        # Then each time they stay on the sign-in page, told only that something was wrong,
        # with the email address they typed kept and the password not
        expect(page).to_have_url(re.compile(r"/sign-in$"))
        expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a correct email address and password")
        expect(page.get_by_label("Email address")).to_have_value(practitioner.email)
        expect(page.get_by_label("Password", exact=True)).to_have_value("")
        if attempt == 1:
            checkpoint(page, "wrong-password")

    # When they get it wrong a fifth time
    with page.expect_response(re.compile(r"/sign-in$")) as fifth:
        auth.enter_password(page, practitioner.email, "not the password 5")

    # Then the account is locked for 15 minutes
    assert fifth.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in for 15 minutes")
    expect(page.get_by_text("Enter a correct email address and password")).to_have_count(0)
    checkpoint(page, "locked")

    # When the right password is given
    page.goto("/sign-in")
    with page.expect_response(re.compile(r"/sign-in$")) as sixth:
        auth.enter_password(page, practitioner.email)

    # Then it is still refused: the locked page again, not the security code step
    assert sixth.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in for 15 minutes")
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    checkpoint(page, "still-locked")

    # And she is not signed in: the home page still asks her to sign in
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Attune")

    # And the audit log tells the five wrong passwords from the lockout and the refused attempt
    actions = AuditEvent.objects.filter(actor=practitioner).order_by("id").values_list("action", flat=True)
    assert list(actions) == [*["auth.sign_in_failed"] * 5, "auth.locked_out", "auth.sign_in_refused"]
