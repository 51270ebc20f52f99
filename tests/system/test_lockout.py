"""Five wrong passwords for one account from one address lock that pair for 15 minutes: even
the right password is then refused (S4). Until then each failure says only that the email or
password is wrong. Five from any addresses make the account wait a minute or more before the
next try (ASVS v5.0.0-6.3.1)."""

import re
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts import services
from attune.accounts.models import SignInThrottle, User
from attune.core.actors import Actor
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

    # And the audit log tells the five wrong passwords from the account's wait, the lockout and
    # the refused attempt
    actions = AuditEvent.objects.filter(actor=practitioner).order_by("id").values_list("action", flat=True)
    assert list(actions) == [
        *["auth.sign_in_failed"] * 5,
        "auth.sign_in_slowed",
        "auth.locked_out",
        "auth.sign_in_refused",
    ]


def test_wrong_passwords_from_other_addresses_make_the_account_wait(
    page: Page, practitioner: User, auth, checkpoint: Check
) -> None:
    # Given five wrong passwords for her account in the last minute, each from another address
    device = auth.authenticator_app(practitioner)
    for _ in range(5):
        services.record_sign_in_failure(actor=Actor.system("elsewhere"), email=practitioner.email)

    # When she signs in from her own desk with the right password
    page.goto("/sign-in")
    with page.expect_response(re.compile(r"/sign-in$")) as attempt:
        auth.enter_password(page, practitioner.email)

    # Then she is asked to wait, told until when, and not told whether the password was right
    assert attempt.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Attune")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There have been too many attempts to sign in to this account.")
    expect(summary).to_contain_text(re.compile(r"Wait until \d{1,2}:\d{2}(am|pm), then try again"))
    expect(page.get_by_text("Enter a correct email address and password")).to_have_count(0)
    expect(page.get_by_label("Email address")).to_have_value(practitioner.email)
    checkpoint(page, "account-waiting")

    # When the wait is over and she tries again
    SignInThrottle.objects.update(wait_until=timezone.now())
    auth.enter_password(page, practitioner.email)
    page.get_by_label("Security code").fill(auth.code(device.bin_key))
    page.get_by_role("button", name="Sign in").click()

    # Then she is signed in, the count is cleared, and the refusal is in the audit log
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {practitioner.full_name.split()[0]}")
    assert not SignInThrottle.objects.exists()
    refused = AuditEvent.objects.get(action="auth.sign_in_refused", actor=practitioner)
    assert refused.detail["rule"] == "account_wait"
    checkpoint(page, "signed-in-after-the-wait")
