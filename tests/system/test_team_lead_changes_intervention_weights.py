"""A hub team's lead changes the service's intervention weights from today (issue 15): from her
team's settings she opens the weights, types a weight wrongly and is told how to put it right
with everything she typed kept, saves, and sees the change in force and in the history; the
allocation form then offers the new weight. Every page passes axe as it is."""

import re
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.models import InterventionWeight
from attune.care.tests.factories import seed_interventions, waiting_referral
from attune.care.tests.factories_waiting import capacity
from attune.core.formatting import date_long
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_team_lead_changes_intervention_weights(
    page: Page, world: World, team_lead: User, practitioner: User, auth, checkpoint: Check
) -> None:
    seed_interventions()
    capacity(world.hub, practitioner)
    referral = waiting_referral(world.hub)
    today = timezone.localdate()

    # Given the hub's team lead on her team's settings
    auth.sign_in(page, team_lead)
    page.goto(f"/teams/{world.hub.pk}/settings")

    # When she opens the intervention weights
    page.get_by_role("link", name="Set the intervention weights").click()

    # Then she sees each intervention's weight now, all at their starting weights
    expect(page.get_by_role("heading", level=1)).to_have_text("Intervention weights")
    weights_now = page.get_by_role("table", name="Weights now")
    expect(weights_now.get_by_role("row", name=re.compile("Video Interaction Guidance"))).to_contain_text("0.75")
    expect(page.get_by_text("No changes yet")).to_be_visible()
    checkpoint(page, "weights")

    # When she types a superscript two for Video Interaction Guidance and 0.5 for consultation
    page.get_by_label("Video Interaction Guidance").fill("²")
    page.get_by_label("Consultation with the family's professionals").fill("0.5")
    page.get_by_role("button", name="Save the weights").click()

    # Then she is told how to write it, and what she typed is still there
    expect(page).to_have_title(re.compile(r"^Error: Intervention weights"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter the weight for Video Interaction Guidance as a number, like 0.75"
    )
    expect(page.get_by_label("Video Interaction Guidance")).to_have_value("²")
    expect(page.get_by_label("Consultation with the family's professionals")).to_have_value("0.5")
    assert not InterventionWeight.objects.exists()
    checkpoint(page, "weights-error")

    # When she puts it right and saves
    page.get_by_label("Video Interaction Guidance").fill("1.25")
    page.get_by_role("button", name="Save the weights").click()

    # Then the change applies today and is in the history
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("The change applies today.")
    expect(weights_now.get_by_role("row", name=re.compile("Video Interaction Guidance"))).to_contain_text("1.25")
    history = page.get_by_role("table", name="Each change, newest first")
    expect(history).to_contain_text(date_long(today))
    expect(history).to_contain_text("Video Interaction Guidance: 1.25")
    expect(history).to_contain_text("Consultation with the family's professionals: 0.5")
    assert {row.weight for row in InterventionWeight.objects.all()} == {Decimal("1.25"), Decimal("0.50")}
    checkpoint(page, "weights-changed")

    # And the back link takes her to the team settings
    page.get_by_role("link", name="Back to team settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team settings")

    # And allocating a family offers the new weight
    page.goto(f"/teams/{world.hub.pk}/waiting-list/{referral.pk}/allocate")
    expect(page.get_by_text("Caseload weight 1.25")).to_be_visible()
    checkpoint(page, "allocate")
