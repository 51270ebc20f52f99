"""Someone signing in for the first time sets up an authenticator app before they get in, and is
given recovery codes once. A wrong code keeps them on the set-up page with an NHS error."""

import re
from collections.abc import Callable

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from attune.accounts.models import User

Check = Callable[[Page, str], None]


def test_first_sign_in_sets_up_the_authenticator_app(page: Page, practitioner: User, auth, checkpoint: Check) -> None:
    # Given a practitioner who has never set up an authenticator app
    assert not TOTPDevice.objects.filter(user=practitioner).exists()

    # When she signs in with her email address and password
    page.goto("/sign-in")
    auth.enter_password(page, practitioner.email)

    # Then she is asked to set up two-factor sign-in, with a QR code and the key written out
    expect(page).to_have_url(re.compile(r"/sign-in/set-up-two-factor$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name=re.compile("QR code")).locator("svg")).to_be_visible()
    secret = page.locator(".app-secret-key")
    expect(secret).to_have_text(re.compile(r"^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$"))
    key = auth.key_from_set_up_page(secret.inner_text())
    checkpoint(page, "set-up")

    # When she types a code that is not the one her app shows
    page.get_by_label("Security code").fill(auth.wrong_code(key))
    page.get_by_role("button", name="Continue").click()

    # Then she stays on the set-up page, with an error summary and the error by the field
    expect(page).to_have_url(re.compile(r"/sign-in/set-up-two-factor$"))
    expect(page).to_have_title(re.compile(r"^Error: Set up two-factor sign-in"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    message = "The security code is not correct. Check the time on your phone is right and try again"
    expect(summary.get_by_role("link", name=message)).to_have_attribute("href", "#id_code")
    expect(page.locator(".nhsuk-error-message")).to_have_text(f"Error: {message}")
    expect(summary).to_be_focused()  # NHS.UK frontend moves focus to the summary
    # The same key is still offered, so the app she already set up keeps working
    expect(secret).to_have_text(re.compile(r"\S"))
    assert auth.key_from_set_up_page(secret.inner_text()) == key
    checkpoint(page, "wrong-code")

    # When she enters the code her app shows (after django-otp's brief wait on a wrong code)
    auth.wait_until_codes_accepted(practitioner)
    page.get_by_label("Security code").fill(auth.code(key))
    page.get_by_role("button", name="Continue").click()

    # Then she is shown her 10 recovery codes, once
    expect(page).to_have_url(re.compile(r"/account/recovery-codes$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    for code in codes.all_inner_texts():
        assert re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code), code
    checkpoint(page, "recovery-codes")

    # When she says she has saved them
    page.get_by_role("button", name="I have saved my recovery codes").click()

    # Then she is signed in, on her home page
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Pat")
    expect(page.locator(".app-identity-bar")).to_contain_text("Parent-infant therapist, Example hub team")
    assert TOTPDevice.objects.filter(user=practitioner, confirmed=True).count() == 1

    # And the recovery codes are not shown again
    page.goto("/account/recovery-codes")
    expect(page).to_have_url(re.compile(r"/$"))
    checkpoint(page, "home")
