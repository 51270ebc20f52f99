"""A hub supervisor records group supervision with two satellite therapists and a family they
discussed, then sees on the satellite's compliance view that a third therapist, who has had no
supervision for a fortnight, is overdue. Every page passes axe."""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.tests.factories import open_episode, seed_interventions
from attune.core.clocks import add_years
from attune.core.models import Task, TaskKind
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World
from attune.supervision.models import SupervisionSession
from attune.supervision.tests.factories import experience, given_session, member

Check = Callable[[Page, str], None]


def test_hub_supervisor_records_group_supervision_and_sees_who_is_overdue(
    page: Page, world: World, auth: Any, checkpoint: Check
) -> None:
    seed_interventions()
    today = timezone.localdate()
    # Given a hub supervisor who also supervises in the satellite
    helen: User = member(world.hub, Role.SUPERVISOR, full_name="Helen Okafor")
    MembershipFactory(user=helen, team=world.satellite, role=Role.SUPERVISOR)
    # And three satellite therapists, one of whom has a family and one who has not been supervised
    aisha = member(world.satellite, Role.TRAINEE, full_name="Aisha Begum")
    megan = member(world.satellite, Role.TRAINEE, full_name="Megan Riley")
    zara = member(world.satellite, Role.TRAINEE, full_name="Zara Overdue")
    for person in (aisha, megan, zara):
        experience(person, add_years(today, -1))  # under 3 years with under-2s: weekly
    given_session(helen, [zara], today - dt.timedelta(days=20))
    open_episode(world.satellite, aisha)

    # When she signs in and opens her supervision from the home page
    auth.sign_in(page, helen)
    supervision = page.get_by_role("region", name="Supervision")
    expect(supervision).to_contain_text("Record supervision")
    checkpoint(page, "home")
    supervision.get_by_role("link", name="Record supervision").click()

    # Then she can record group supervision with the two therapists and a family discussed
    expect(page.get_by_role("heading", level=1)).to_have_text("Record supervision")
    page.get_by_label("Group").check()
    page.get_by_label(re.compile(r"Aisha Begum \(")).check()
    page.get_by_label(re.compile(r"Megan Riley \(")).check()
    page.get_by_label("Length in minutes").fill("90")
    page.get_by_label("Video").check()
    page.get_by_label(re.compile("Family of .*with Aisha Begum")).check()
    checkpoint(page, "record")
    page.get_by_label("Action 1 (optional)").fill("Offer a video feedback session")
    page.get_by_label("Who will do action 1").select_option(label="Aisha Begum")
    due = today + dt.timedelta(days=14)
    group = page.get_by_role("group", name="Action 1 due by")
    group.get_by_label("Day").fill(str(due.day))
    group.get_by_label("Month").fill(str(due.month))
    group.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Save supervision").click()

    # Then the session is saved with the family and the action, and Aisha has a task
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Group supervision on"))
    expect(page.locator("main")).to_contain_text("Aisha Begum, Megan Riley")
    expect(page.locator("main")).to_contain_text("Offer a video feedback session")
    expect(page.get_by_role("heading", name="Families discussed")).to_be_visible()
    checkpoint(page, "session")
    session = SupervisionSession.objects.get(duration_minutes=90)
    assert {a.supervisee for a in session.attendees.all()} == {aisha, megan}
    assert session.discussions.count() == 1
    assert Task.objects.open().filter(kind=TaskKind.SUPERVISION_ACTION, assignee=aisha).exists()

    # When she looks at supervision in the satellite team
    page.goto(f"/teams/{world.satellite.pk}/supervision")

    # Then the two supervised today are on track, and Zara is overdue
    expect(page.locator("main")).to_contain_text("2 on track, 0 due, 1 overdue")
    table = page.get_by_role("table", name="Supervision received")
    expect(table.get_by_role("row", name=re.compile("Zara Overdue"))).to_contain_text("Overdue")
    expect(table.get_by_role("row", name=re.compile("Aisha Begum"))).to_contain_text("On track")
    checkpoint(page, "compliance")

    # And her list of sessions and the countersigning queue are there too
    page.goto("/supervision")
    expect(page.get_by_role("table", name="Supervision sessions").get_by_role("row")).to_have_count(3)
    checkpoint(page, "sessions")
    page.goto("/supervision/countersigning")
    expect(page.locator("main")).to_contain_text("There are no notes waiting")
    checkpoint(page, "countersigning")
    page.goto("/supervision/compliance")
    checkpoint(page, "my-compliance")
    page.goto(f"/supervision/supervisees/{aisha.pk}/caseload")
    expect(page.locator("main")).to_contain_text("Family of")
    checkpoint(page, "caseload")
