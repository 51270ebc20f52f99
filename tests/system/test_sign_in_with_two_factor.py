"""A practitioner signs in with her password and authenticator app, sees only what her role may
use, and signs out: her session ends on the server, not just in the browser."""

import datetime
import re
from collections.abc import Callable

from django.conf import settings
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_practitioner_signs_in_with_two_factor_and_signs_out(
    page: Page, new_page: Callable[[], Page], practitioner: User, world: World, auth, checkpoint: Check
) -> None:
    # Given a practitioner in Example hub team with an authenticator app, the only person in the
    # team now that a colleague has left
    device = auth.authenticator_app(practitioner)
    MembershipFactory(team=world.hub, starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2024, 1, 1))

    # When she opens Attune she is asked to sign in
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Attune")
    checkpoint(page, "sign-in")

    # And she gives her email address and password
    auth.enter_password(page, practitioner.email)

    # Then she is asked for the code from her authenticator app
    expect(page).to_have_url(re.compile(r"/sign-in/security-code$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    checkpoint(page, "security-code")

    # When she enters it
    page.get_by_label("Security code").fill(auth.code(device.bin_key))
    page.get_by_role("button", name="Sign in").click()

    # Then she lands on her home page, with her name, team and role under the header
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Pat")
    identity = page.locator(".app-identity-bar")
    expect(identity).to_contain_text("Signed in as Pat Practitioner")
    expect(identity).to_contain_text("Parent-infant therapist, Example hub team")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Pat Practitioner")).to_be_visible()
    your_teams = page.get_by_role("region", name="Your teams")
    expect(your_teams.get_by_role("link", name="Example hub team", exact=True)).to_be_visible()
    expect(your_teams).to_contain_text("Hub team, 1 person")  # not the colleague who left

    # And the navigation offers only what a practitioner may use
    navigation = header.get_by_role("navigation").filter(has=page.get_by_role("link", name="Home"))
    expect(navigation.get_by_role("link")).to_have_text(
        ["Home", "Referrals", "Caseload", "Diary", "Supervision", "Training", "Teams"]
    )
    expect(page.get_by_role("link", name="Staff accounts")).to_have_count(0)
    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)
    checkpoint(page, "home")

    # When she signs out
    session_cookies = page.context.cookies()
    assert settings.SESSION_COOKIE_NAME in {cookie["name"] for cookie in session_cookies}
    header.get_by_role("button", name="Sign out").click()

    # Then she is on the sign-in page, told she has signed out
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    checkpoint(page, "signed-out")

    # And her session is over: the home page sends her back to sign in
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/$"))
    expect(page.get_by_text("You have signed out.")).to_have_count(0)
    checkpoint(page, "home-after-sign-out")

    # And even the cookie her browser held before signing out no longer opens anything
    replay = new_page()
    replay.context.add_cookies(session_cookies)
    replay.goto("/")
    expect(replay).to_have_url(re.compile(r"/sign-in\?next=/$"))
