"""A system administrator disables a practitioner's account while she is signed in elsewhere:
her session ends on the server at once, and she cannot sign in again."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from attune.accounts.models import User

Check = Callable[[Page, str], None]


def test_system_admin_disables_a_signed_in_practitioner(
    new_page: Callable[[], Page], system_admin: User, practitioner: User, auth, checkpoint: Check
) -> None:
    # Given the practitioner is signed in, in her own browser
    her_page = new_page()
    auth.sign_in(her_page, practitioner)

    # And the system administrator signs in, in another
    admin_page = new_page()
    auth.sign_in(admin_page, system_admin)
    checkpoint(admin_page, "admin-home")

    # When the administrator opens Staff accounts, then the practitioner's account
    admin_page.get_by_role("banner").get_by_role("link", name="Staff accounts").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Staff accounts")
    staff = admin_page.get_by_role("table")
    expect(staff.get_by_role("row", name=re.compile("Pat Practitioner"))).to_contain_text("Active")
    checkpoint(admin_page, "staff-accounts")
    staff.get_by_role("link", name="Pat Practitioner").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Pat Practitioner Active")
    expect(admin_page.locator(".nhsuk-summary-list")).to_contain_text(re.compile(r"Open sessions\s*1"))
    checkpoint(admin_page, "staff-account")

    # And chooses to disable it, first forgetting to say why
    admin_page.get_by_role("link", name="Disable this account").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Disable Pat Practitioner's account")
    checkpoint(admin_page, "disable")
    admin_page.get_by_role("button", name="Disable account").click()

    # Then they are asked for the reason, in the NHS error style, and nothing has changed
    expect(admin_page).to_have_title(re.compile(r"^Error: Disable Pat Practitioner's account"))
    summary = admin_page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text("Enter why you are disabling this account")
    expect(admin_page.locator(".nhsuk-error-message")).to_have_text("Error: Enter why you are disabling this account")
    practitioner.refresh_from_db()
    assert practitioner.is_active
    checkpoint(admin_page, "disable-without-reason")

    # When they give the reason
    admin_page.get_by_label("Why are you disabling this account?").fill("Left the trust on 31 March")
    admin_page.get_by_role("button", name="Disable account").click()

    # Then the account shows as disabled, with the reason, and no open sessions
    expect(admin_page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Pat Practitioner's account is disabled and all their sessions have ended."
    )
    heading = admin_page.get_by_role("heading", level=1)
    expect(heading.locator(".nhsuk-tag")).to_have_text("Disabled")
    summary_list = admin_page.locator(".nhsuk-summary-list")
    expect(summary_list).to_contain_text("Left the trust on 31 March")
    expect(summary_list).to_contain_text(re.compile(r"Open sessions\s*0"))
    expect(admin_page.get_by_role("link", name="Enable this account")).to_be_visible()
    checkpoint(admin_page, "disabled")

    # When the practitioner next opens a page
    her_page.get_by_role("banner").get_by_role("link", name="Teams").click()

    # Then she is on the sign-in page: her session ended on the server
    expect(her_page).to_have_url(re.compile(r"/sign-in\?next=/teams$"))
    expect(her_page.get_by_role("heading", level=1)).to_have_text("Sign in to Attune")
    expect(her_page.get_by_role("button", name="Sign out")).to_have_count(0)
    checkpoint(her_page, "practitioner-signed-out")

    # And she cannot sign in again, even with the right password
    auth.enter_password(her_page, practitioner.email)
    expect(her_page).to_have_url(re.compile(r"/sign-in\?next=/teams$"))
    expect(her_page.locator(".nhsuk-error-summary")).to_contain_text("Enter a correct email address and password")
    checkpoint(her_page, "practitioner-refused")
