"""An information governance lead finds, in the audit log, who looked at a team's page (S8)."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_ig_lead_sees_who_accessed_a_team(
    new_page: Callable[[], Page], practitioner: User, ig_lead: User, world: World, auth, checkpoint: Check
) -> None:
    # Given the practitioner has signed in and opened her team's page
    her_page = new_page()
    auth.sign_in(her_page, practitioner)
    her_page.get_by_role("main").get_by_role("link", name="Example hub team", exact=True).click()
    expect(her_page.get_by_role("heading", level=1)).to_contain_text("Example hub team")
    checkpoint(her_page, "practitioner-team-page")

    # When the trust's information governance lead signs in and opens the audit log
    ig_page = new_page()
    auth.sign_in(ig_page, ig_lead)
    checkpoint(ig_page, "ig-lead-home")
    ig_page.get_by_role("banner").get_by_role("link", name="Audit log").click()
    expect(ig_page.get_by_role("heading", level=1)).to_have_text("Audit log")

    # Then she sees the practitioner's visit to the team page, with the role it was made in
    events = ig_page.get_by_role("table", name="Events, newest first")
    visit = events.get_by_role("row").filter(has_text="Viewed team page")
    expect(visit).to_have_count(1)
    expect(visit.get_by_role("cell").nth(1)).to_have_text("Pat Practitioner")
    expect(visit.get_by_role("cell").nth(2)).to_have_text("Parent-infant therapist, Example hub team")
    expect(visit.get_by_role("cell").nth(4)).to_have_text("Team: Example hub team")
    expect(visit.get_by_role("cell").nth(5)).to_have_text("Succeeded")
    checkpoint(ig_page, "audit-log")

    # When she follows the team's link
    visit.get_by_role("link", name="Example hub team").click()

    # Then she sees everyone who accessed the team's record, the practitioner among them
    expect(ig_page).to_have_url(re.compile(rf"/audit/records/organisations\.team/{world.hub.pk}$"))
    expect(ig_page.get_by_role("heading", level=1)).to_have_text("Who accessed Example hub team")
    accesses = ig_page.get_by_role("table", name="Everything recorded about this record, newest first")
    row = accesses.get_by_role("row").filter(has=ig_page.get_by_role("link", name="Pat Practitioner"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Viewed team page")
    checkpoint(ig_page, "who-accessed-team")
