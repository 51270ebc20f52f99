"""A system administrator connects the health visiting record to Attune's API: she forgets to
choose a team, the page says so and keeps the name she typed; she issues the token, copies it from
the only page that shows it, and the system's first call works. When the system is replaced she
revokes the token after confirming, and the next call is refused with the date. Every page passes
axe; the API's documentation page runs under the site's content security policy."""

import re
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.core.formatting import date_long
from attune.interop.api_models import ApiClient
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_system_admin_issues_then_revokes_an_api_token(
    page: Page, world: World, system_admin: User, auth, checkpoint: Check, live_server
) -> None:
    # Given the trust's system administrator, signed in
    auth.sign_in(page, system_admin)

    # When she opens the API tokens page
    page.goto("/setup/api-tokens")
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    expect(page.get_by_text("No tokens have been issued.")).to_be_visible()
    checkpoint(page, "no tokens")

    # And issues a token, naming the system but forgetting to choose a team
    page.get_by_role("button", name="Issue a token").click()
    expect(page.get_by_role("heading", name="Issue an API token")).to_be_visible()
    page.get_by_label("Name of the system").fill("Seaside health visiting record")
    checkpoint(page, "issue form")
    page.get_by_role("button", name="Issue token").click()

    # Then the page says what is missing and keeps what she typed
    expect(page).to_have_title(re.compile(r"^Error: Issue an API token"))
    expect(page.get_by_role("alert").get_by_text("Select the teams this system may act for")).to_be_visible()
    expect(page.get_by_label("Name of the system")).to_have_value("Seaside health visiting record")
    checkpoint(page, "issue form error")

    # When she ticks the hub team and issues it
    page.get_by_label("Example hub team").check()
    page.get_by_role("button", name="Issue token").click()

    # Then the token is shown once, with the warning to copy it now
    expect(page.get_by_role("heading", name="Copy the token for Seaside health visiting record")).to_be_visible()
    expect(page.get_by_text("You will not see this token again")).to_be_visible()
    token = page.get_by_label("Token").input_value()
    assert re.fullmatch(r"attune_[A-Z0-9]{8}_[A-Za-z0-9_-]{40,}", token)
    checkpoint(page, "token shown once")

    # And the other system's first call with it works
    answer = page.request.get(f"{live_server.url}/api/v1/teams", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200
    assert [team["name"] for team in answer.json()] == ["Example hub team"]

    # And the list shows the token by its first characters, never the whole of it
    page.get_by_role("link", name=re.compile("I have copied the token")).click()
    made = ApiClient.objects.get()
    row = page.get_by_role("row").filter(has_text="Seaside health visiting record")
    expect(row).to_contain_text(made.prefix)
    expect(row).to_contain_text("Active")
    assert token not in page.content()
    checkpoint(page, "token listed")

    # When the system is replaced, she revokes the token, confirming first
    row.get_by_role("link", name="Seaside health visiting record").click()
    expect(page.get_by_role("heading", name="Seaside health visiting record", level=1)).to_be_visible()
    checkpoint(page, "token page")
    page.get_by_role("button", name="Revoke this token").click()
    expect(page.get_by_text("The token stops working at once")).to_be_visible()
    page.get_by_label("Why are you revoking it? (optional)").fill("Replaced by the new record system")
    checkpoint(page, "confirm revoke")
    page.get_by_role("button", name="Revoke token").click()

    # Then the page confirms it, and the next call is refused with the date it was revoked
    expect(
        page.get_by_text("The token for Seaside health visiting record is revoked. It no longer works.")
    ).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Replaced by the new record system")
    checkpoint(page, "revoked")
    refused = page.request.get(f"{live_server.url}/api/v1/teams", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401
    assert refused.json()["detail"] == (
        f"This token was revoked on {date_long(timezone.localdate())}; ask your system administrator for a new one"
    )

    # And the documentation she sends the supplier loads under the site's security policy
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name="POST /api/v1/teams/{team_id}/referrals")).to_be_visible()
    checkpoint(page, "api documentation")

    # And at 320 pixels wide neither the tokens page nor the documentation scrolls sideways
    page.set_viewport_size({"width": 320, "height": 640})
    for address in ("/setup/api-tokens", f"/setup/api-tokens/{made.pk}", "/api/v1/docs"):
        page.goto(address)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), address
    page.goto("/api/v1/docs#post-api-v1-teams-team-id-referrals")
    checkpoint(page, "api documentation at 320 pixels")
