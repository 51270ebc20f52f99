"""A hub team lead sets the service's own supervision standard: 90 minutes every fortnight for
everyone, 30 hours full time. She types the minutes with a letter O first; the page says how to
write them and keeps everything she typed; she corrects it and saves, sees the standard in force
in plain words with the Parent-Infant Foundation's standard kept as its history, and the team's
compliance page now measures against it. Every page passes axe as it is."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.core.models import AuditEvent
from attune.organisations.roles import Role
from attune.organisations.tests.world import World
from attune.supervision.models import SupervisionStandardSetting
from attune.supervision.standard import FORTNIGHT
from attune.supervision.tests.factories import experience, given_session, member

Check = Callable[[Page, str], None]
LESS = "How often do practitioners with less experience need supervision?"
MORE = "How often do practitioners with more experience need supervision?"


def test_team_lead_sets_the_supervision_standard(page: Page, world: World, auth: Any, checkpoint: Check) -> None:
    today = timezone.localdate()
    # Given the lead of the hub, and a part-time therapist with 45 minutes of supervision this week
    priya: User = member(world.hub, Role.TEAM_LEAD, full_name="Priya Shah")
    tom = member(world.hub, Role.PRACTITIONER, full_name="Tom Walsh")
    experience(tom, dt.date(2015, 9, 1), hours="15")
    given_session(member(world.hub, Role.SUPERVISOR), [tom], today, minutes=45)

    # When she opens the team's settings and follows the link to the supervision standard
    auth.sign_in(page, priya)
    page.goto(f"/teams/{world.hub.pk}/settings")
    page.get_by_role("link", name="Set the supervision standard").click()

    # Then she sees the Parent-Infant Foundation standard in plain words
    expect(page.get_by_role("heading", name="Supervision standard", level=1)).to_be_visible()
    expect(
        page.get_by_text(
            "60 minutes every week for practitioners with under 3 years' experience with under-2s; "
            "every fortnight after; pro rata for part-time against 37.5 hours."
        )
    ).to_be_visible()
    checkpoint(page, "standard")

    # When she types the minutes with a letter O, chooses every fortnight for everyone and 30 hours
    page.get_by_label("Minutes of supervision each week or fortnight").fill("9O")
    page.get_by_role("group", name=LESS).get_by_label("Every fortnight").check()
    page.get_by_role("group", name=MORE).get_by_label("Every fortnight").check()
    page.get_by_label("Full-time hours a week").fill("30")
    page.get_by_role("button", name="Save the standard").click()

    # Then the page says how to write it and keeps everything she typed
    message = "Enter the minutes of supervision as a whole number, like 60"
    expect(page.get_by_role("alert").get_by_text(message)).to_be_visible()
    expect(page.get_by_label("Minutes of supervision each week or fortnight")).to_have_value("9O")
    expect(page.get_by_role("group", name=LESS).get_by_label("Every fortnight")).to_be_checked()
    expect(page.get_by_label("Full-time hours a week")).to_have_value("30")
    expect(page.get_by_role("group", name="Date the change applies from").get_by_label("Year")).to_have_value(
        str(today.year)
    )
    checkpoint(page, "standard error")
    assert not SupervisionStandardSetting.objects.exists()

    # When she corrects it and saves
    page.get_by_label("Minutes of supervision each week or fortnight").fill("90")
    page.get_by_role("button", name="Save the standard").click()

    # Then she is told, sees the new standard in force and the foundation's kept as history
    expect(page.get_by_text("The supervision standard is changed. The change applies today.")).to_be_visible()
    expect(
        page.get_by_text(
            "90 minutes every fortnight for every practitioner, whatever their experience; "
            "pro rata for part-time against 30 hours."
        )
    ).to_be_visible()
    history = page.get_by_role("table")
    expect(history.get_by_role("row").filter(has_text="From the start")).to_contain_text("Past")
    expect(history.get_by_role("row").filter(has_text="In force")).to_contain_text("90 minutes every fortnight")
    checkpoint(page, "standard saved")
    assert SupervisionStandardSetting.objects.get(effective_from=today).experienced_period == FORTNIGHT
    assert AuditEvent.objects.filter(action="supervision.standard_changed", actor=priya).count() == 1

    # And the team's compliance page measures Tom against it: 15 of 30 hours is 45 minutes a fortnight
    page.get_by_role("link", name="Back to team settings").click()
    expect(page.get_by_role("heading", name="Team settings", level=1)).to_be_visible()
    page.goto(f"/teams/{world.hub.pk}/supervision")
    expect(page.get_by_text("at least 90 minutes of clinical supervision every fortnight")).to_be_visible()
    tom_row = page.get_by_role("row").filter(has_text="Tom Walsh")
    expect(tom_row).to_contain_text("45 minutes every fortnight")
    expect(tom_row).to_contain_text("On track")
    checkpoint(page, "compliance")
