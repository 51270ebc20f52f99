"""A hub team lead records the council's contribution for the satellite: she forgets the teams
first, the page says so and keeps everything she typed; she ticks the satellite, saves, and sees
the agreement in the funding list with a confirmation. Every page passes axe as it is."""

from collections.abc import Callable
from decimal import Decimal

from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.commissioning.models import FundingAgreement
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_team_lead_records_a_funding_agreement(page: Page, world: World, auth, checkpoint: Check) -> None:
    # Given the lead of the hub (and so of its satellite)
    lead: User = UserFactory(full_name="Priya Shah")
    MembershipFactory(user=lead, team=world.hub, role=Role.TEAM_LEAD)

    # When she signs in and opens funding
    auth.sign_in(page, lead)
    page.goto("/funding")
    expect(page.get_by_role("heading", name="Funding", level=1)).to_be_visible()
    expect(page.get_by_text("No funding agreements are recorded that you can see.")).to_be_visible()
    checkpoint(page, "empty list")
    page.get_by_role("link", name="Record a funding agreement").click()
    expect(page.get_by_role("heading", name="Record a funding agreement")).to_be_visible()

    # And fills in the council's contribution but forgets to choose a team
    page.get_by_label("Funder", exact=True).select_option(label="Mill Town Council")
    page.get_by_label("Recipient", exact=True).select_option(label="Example ICB")
    page.get_by_label("Amount").fill("60371.25")
    start = page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("11")
    start.get_by_label("Year").fill("2024")
    end = page.get_by_role("group", name="End date")
    end.get_by_label("Day").fill("31")
    end.get_by_label("Month").fill("3")
    end.get_by_label("Year").fill("2025")
    page.get_by_label("What it pays for").fill("Two recruit-to-train therapists in family hubs")
    page.get_by_label("Funder's reference (optional)").fill("PO-4471")
    checkpoint(page, "form")
    page.get_by_role("button", name="Save agreement").click()

    # Then the page says what is missing and keeps what she typed
    expect(page.get_by_role("alert").get_by_text("Choose at least one team")).to_be_visible()
    expect(page.get_by_label("Amount")).to_have_value("60371.25")
    expect(page.get_by_label("Funder", exact=True)).to_have_value(str(world.satellite_area.pk))
    expect(page.get_by_label("What it pays for")).to_have_value("Two recruit-to-train therapists in family hubs")
    expect(page.get_by_role("group", name="End date").get_by_label("Day")).to_have_value("31")
    checkpoint(page, "form error")

    # When she ticks the satellite and saves
    page.get_by_label("Example satellite team").check()
    page.get_by_role("button", name="Save agreement").click()

    # Then the funding list confirms it and shows the agreement
    expect(
        page.get_by_text("Funding agreement recorded: Mill Town Council to Example ICB, £60,371.25.")
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Mill Town Council to Example ICB")
    expect(row.get_by_text("£60,371.25")).to_be_visible()
    expect(row.get_by_text("1 November 2024 to 31 March 2025")).to_be_visible()
    expect(row.get_by_text("Example satellite team")).to_be_visible()
    checkpoint(page, "list")
    made = FundingAgreement.objects.get()
    assert (made.amount, made.reference, list(made.teams.all())) == (Decimal("60371.25"), "PO-4471", [world.satellite])

    # And the agreement's own page sets the (so far uncosted) staff cost against the amount
    row.get_by_role("link").click()
    expect(page.get_by_text("Staff cost of the funded teams over the agreement: £0.00 of £60,371.25")).to_be_visible()
    checkpoint(page, "agreement")
