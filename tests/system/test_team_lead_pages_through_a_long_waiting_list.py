"""A team lead reads a long waiting list a page at a time: the page says how many families wait
and which it shows, the numbered page links lead to the next page and back, and both pages pass
axe with the pagination on them (issue 18)."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.tests.factories import waiting_referrals
from attune.care.views.waiting import WAITING_PAGE
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_team_lead_pages_through_a_long_waiting_list(
    page: Page, world: World, team_lead: User, auth, checkpoint: Check
) -> None:
    # Given 55 families waiting in the hub team
    waiting_referrals(world.hub, WAITING_PAGE + 5)

    # When the team lead opens the waiting list
    auth.sign_in(page, team_lead)
    page.goto(f"/teams/{world.hub.pk}/waiting-list")

    # Then she sees the first 50 and how many wait in all
    expect(page.get_by_text("Showing 1 to 50 of 55 families")).to_be_visible()
    table = page.get_by_role("table", name="Families waiting to be allocated, by priority then longest wait")
    expect(table.get_by_role("row")).to_have_count(WAITING_PAGE + 1)
    pages = page.get_by_role("navigation", name="Waiting list pages")
    expect(pages.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    checkpoint(page, "waiting-list-page-1")

    # When she goes to the next page
    pages.get_by_role("link", name="Page 2").click()

    # Then she sees the other 5, and can go back
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.get_by_text("Showing 51 to 55 of 55 families")).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(6)
    checkpoint(page, "waiting-list-page-2")
    page.get_by_role("navigation", name="Waiting list pages").get_by_role("link", name="Previous").click()
    expect(page.get_by_text("Showing 1 to 50 of 55 families")).to_be_visible()
