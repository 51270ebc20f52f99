"""A hub team lead records a pay rise for a post: she types the cost with a stray letter first,
the page says how to write it and keeps what she typed; she corrects it, saves, and sees the new
cost beside the old one in the post's history. Every page passes axe as it is."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.commissioning.forms import ANNUAL_COST_MESSAGE
from attune.commissioning.models import PostCost
from attune.commissioning.tests.factories import post_cost
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World
from attune.workforce.tests.factories import post

Check = Callable[[Page, str], None]


def test_team_lead_records_a_post_cost(page: Page, world: World, auth, checkpoint: Check) -> None:
    # Given the lead of the hub, whose therapist post has cost £52,450 a year since April 2024
    lead: User = UserFactory(full_name="Priya Shah")
    MembershipFactory(user=lead, team=world.hub, role=Role.TEAM_LEAD)
    therapist = post(world.hub, "Parent-infant therapist", dt.date(2024, 4, 1), None)
    post_cost(therapist, "52450.00", dt.date(2024, 4, 1), recorded_by=lead)

    # When she opens the team's staff costs
    auth.sign_in(page, lead)
    page.goto(f"/teams/{world.hub.pk}/costs")
    expect(page.get_by_role("heading", name="Staff costs", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Parent-infant therapist")
    expect(row.get_by_text("£52,450.00 from 1 April 2024")).to_be_visible()
    checkpoint(page, "costs")

    # And records the pay award with a letter in the amount
    page.get_by_label("Post", exact=True).select_option(label="Parent-infant therapist (vacant)")
    page.get_by_label("Annual cost including on-costs").fill("54,1OO")
    applies = page.get_by_role("group", name="Applies from")
    applies.get_by_label("Day").fill("1")
    applies.get_by_label("Month").fill("4")
    applies.get_by_label("Year").fill("2025")
    page.get_by_label("Note (optional)").fill("2025-26 pay award")
    page.get_by_role("button", name="Save cost").click()

    # Then the page says how to write it and keeps what she typed
    expect(page.get_by_role("alert").get_by_text(ANNUAL_COST_MESSAGE)).to_be_visible()
    expect(page.get_by_label("Annual cost including on-costs")).to_have_value("54,1OO")
    expect(page.get_by_label("Note (optional)")).to_have_value("2025-26 pay award")
    expect(page.get_by_role("group", name="Applies from").get_by_label("Year")).to_have_value("2025")
    checkpoint(page, "cost error")

    # When she corrects it and saves
    page.get_by_label("Annual cost including on-costs").fill("54100.00")
    page.get_by_role("button", name="Save cost").click()

    # Then she is told, and the history holds both costs
    expect(page.get_by_text("Cost recorded for Parent-infant therapist: £54,100.00 a year.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Parent-infant therapist")
    expect(row.get_by_text("£54,100.00 from 1 April 2025 (2025-26 pay award)")).to_be_visible()
    expect(row.get_by_text("£52,450.00 from 1 April 2024")).to_be_visible()
    checkpoint(page, "cost recorded")
    assert sorted(PostCost.objects.values_list("annual_cost", flat=True)) == [Decimal("52450.00"), Decimal("54100.00")]
