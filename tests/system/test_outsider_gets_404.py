"""Someone outside a team gets "Page not found" for its page, exactly as if it did not exist
(ADR 0002): no name, no members, no hint that the team is there. Their own team opens."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_outsider_cannot_see_another_trusts_team(
    page: Page, outsider: User, practitioner: User, world: World, auth, checkpoint: Check
) -> None:
    # Given a practitioner in Elsewhere team, another trust's team, signed in
    auth.sign_in(page, outsider)
    checkpoint(page, "home")

    # When she opens the page of Example hub team, which is not hers
    response = page.goto(f"/teams/{world.hub.pk}")

    # Then she is told, in the NHS style, that there is no such page
    assert response is not None
    assert response.status == 404
    expect(page).to_have_title("Page not found – Attune – NHS")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("banner").get_by_role("link", name="Otto Outsider")).to_be_visible()
    expect(page.get_by_role("link", name="Go to your Attune home page")).to_have_attribute("href", "/")

    # And nothing about the team shows
    main = page.get_by_role("main")
    for detail in ["Example hub team", "Example PAIRS", "Example Hospitals NHS FT", practitioner.full_name]:
        expect(main).not_to_contain_text(detail)
    checkpoint(page, "not-found")

    # When she opens her own team from the Teams page
    page.get_by_role("banner").get_by_role("link", name="Teams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your teams")
    checkpoint(page, "teams")
    with page.expect_response(re.compile(rf"/teams/{world.other_team.pk}$")) as own:
        page.get_by_role("link", name="Elsewhere team").click()

    # Then it opens, with her in it
    assert own.value.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Elsewhere team")
    expect(page.get_by_role("table", name="People with a role in Elsewhere team")).to_contain_text("Otto Outsider")
    checkpoint(page, "own-team")
