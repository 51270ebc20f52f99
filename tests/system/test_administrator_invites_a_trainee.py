"""The trust's system administrator invites a new trainee to the satellite team on pages alone;
the trainee opens the emailed link, chooses a password, sets up her authenticator app and sees
her (empty) caseload. Every page is checked with axe."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.notifications.models import Message
from attune.organisations.models import Membership
from attune.organisations.roles import Role

Check = Callable[[Page, str], None]
NEW_PASSWORD = "a long lasting blackpool tower"


def test_administrator_invites_a_trainee_who_sets_up_her_account(
    page: Page, new_page: Callable[[], Page], system_admin: User, auth, checkpoint: Check
) -> None:
    # Given the trust's system administrator, signed in, on the staff accounts page
    auth.sign_in(page, system_admin)
    page.goto("/staff")
    checkpoint(page, "staff-list")

    # When she invites a trainee to the satellite team
    page.get_by_role("link", name="Invite a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a person")
    checkpoint(page, "invite")
    page.get_by_label("Full name").fill("Tess Trainee")
    page.get_by_label("Email address").fill("tess.trainee@trust.example")
    page.get_by_role("button", name="Send invitation").click()

    # Then, with no role chosen, she is asked for one and what she typed is kept
    expect(page).to_have_title(re.compile(r"^Error: Invite a person"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select at least one role")
    expect(page.get_by_label("Full name")).to_have_value("Tess Trainee")
    checkpoint(page, "invite-error")

    page.get_by_label("Trainee parent-infant therapist, Example satellite team").check()
    page.get_by_role("button", name="Send invitation").click()

    # Then the invitation is sent, and the trainee's page says she has not set up yet
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Invitation sent to tess.trainee@trust.example. The link works for 7 days."
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tess Trainee")
    expect(page.get_by_role("button", name="Send the invitation again")).to_be_visible()
    checkpoint(page, "person")
    trainee = User.objects.get(email="tess.trainee@trust.example")
    assert Membership.objects.get(user=trainee).role == Role.TRAINEE

    # And the email with the set-up link is in the outbox
    message = Message.objects.get(to="tess.trainee@trust.example")
    link = re.search(r"https?://\S+/account/set-up/\S+", message.body)
    assert link, message.body
    path = "/account/set-up/" + link.group(0).split("/account/set-up/")[1]

    # When the trainee opens the link in her own browser and chooses a password
    hers = new_page()
    hers.goto(path)
    expect(hers.get_by_role("heading", level=1)).to_have_text("Choose a password")
    checkpoint(hers, "choose-password")
    hers.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    hers.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    hers.get_by_role("button", name="Save password").click()

    # Then she signs in with it and sets up her authenticator app
    expect(hers).to_have_url(re.compile(r"/sign-in"))
    checkpoint(hers, "sign-in")
    auth.enter_password(hers, "tess.trainee@trust.example", NEW_PASSWORD)
    expect(hers.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    checkpoint(hers, "set-up-two-factor")
    key = auth.key_from_set_up_page(hers.locator(".app-secret-key").inner_text())
    hers.get_by_label("Security code").fill(auth.code(key))
    hers.get_by_role("button", name="Continue").click()
    expect(hers.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    checkpoint(hers, "recovery-codes")
    hers.get_by_role("button", name="I have saved my recovery codes").click()
    expect(hers.get_by_role("heading", level=1)).to_have_text("Hello, Tess")
    checkpoint(hers, "home")

    # And her caseload is there, empty
    hers.goto("/caseload")
    expect(hers.get_by_role("heading", level=1)).to_have_text("Your caseload")
    expect(hers.get_by_text("You have no families on your caseload at the moment.")).to_be_visible()
    checkpoint(hers, "caseload")

    # And the link cannot be used again
    hers.goto(path)
    expect(hers.get_by_role("heading", level=1)).not_to_have_text("Choose a password")
