"""A team lead allocates from the waiting list: the urgent family is first; allocating to someone
who is full needs a reason, so she picks a practitioner with room; the family leaves the list and
an episode of care opens. The waiting list and allocation pages pass axe as they are."""

import datetime as dt
import re
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.models import Episode
from attune.care.tests.factories import open_episode, seed_interventions, waiting_referral
from attune.care.tests.factories_waiting import capacity
from attune.core import clocks
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_team_lead_allocates_the_urgent_family_first(
    page: Page, world: World, team_lead: User, practitioner: User, supervisor: User, auth, checkpoint: Check
) -> None:
    seed_interventions()
    # Given two families waiting in the hub team, the routine one referred earlier
    routine = waiting_referral(world.hub, received_at=timezone.now() - dt.timedelta(days=40))
    urgent = waiting_referral(world.hub, priority="urgent", received_at=timezone.now() - dt.timedelta(days=6))
    urgent_baby = urgent.family.infants.get().full_name
    # And Sam is full while Pat has room
    capacity(world.hub, supervisor, maximum="1")
    open_episode(world.hub, supervisor)
    capacity(world.hub, practitioner, maximum="12")

    # When the team lead opens the waiting list
    auth.sign_in(page, team_lead)
    page.goto("/waiting-list")

    # Then she is on her team's list, the urgent family first
    expect(page).to_have_url(re.compile(rf"/teams/{world.hub.pk}/waiting-list$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting list")
    table = page.get_by_role("table", name="Families waiting to be allocated, by priority then longest wait")
    rows = table.get_by_role("row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text(urgent.reference)
    expect(rows.nth(1)).to_contain_text("Urgent")
    # (waits in working days, as triage counts them, from the same clock as the page)
    today = timezone.localdate()
    urgent_wait = clocks.working_days_between(timezone.localtime(urgent.received_at).date(), today)
    routine_wait = clocks.working_days_between(timezone.localtime(routine.received_at).date(), today)
    expect(rows.nth(1)).to_contain_text(f"{urgent_wait} working day")
    expect(rows.nth(2)).to_contain_text(routine.reference)
    expect(rows.nth(2)).to_contain_text(f"{routine_wait} working days")
    checkpoint(page, "waiting-list")

    # When she opens Allocate for the urgent family
    rows.nth(1).get_by_role("link", name=f"Allocate {urgent_baby}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Allocate {urgent_baby}")
    expect(page.get_by_text("1 of 1 weighted caseload used, 37.5 hours a week")).to_be_visible()
    checkpoint(page, "allocate")

    # And allocates to Sam, who is full, without a reason
    page.get_by_label("Sam Supervisor").check()
    page.get_by_label("Parent-infant psychotherapy").check()
    page.get_by_role("button", name="Allocate").click()

    # Then she is told who would be over, and what she chose is still chosen
    expect(page).to_have_title(re.compile(r"^Error: Allocate"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text(
        "Sam Supervisor would have a weighted caseload of 2, over their maximum of 1. "
        "Enter a reason to allocate past capacity, or choose someone else"
    )
    expect(page.get_by_label("Sam Supervisor")).to_be_checked()
    expect(page.get_by_label("Parent-infant psychotherapy")).to_be_checked()
    assert not Episode.objects.filter(referral=urgent).exists()
    checkpoint(page, "allocate-past-capacity")

    # When she chooses Pat, who has room, instead
    page.get_by_label("Pat Practitioner").check()
    page.get_by_role("button", name="Allocate").click()

    # Then an episode of care is open for the family, led by Pat
    expect(page).to_have_url(re.compile(r"/episodes/[0-9a-f-]+$"))
    episode = Episode.objects.get(referral=urgent)
    assert page.url.endswith(f"/episodes/{episode.pk}")
    assert [w.practitioner for w in episode.workers.all()] == [practitioner]
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Pat Practitioner")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Episode of care")
    checkpoint(page, "episode-opened")

    # And the family is no longer on the waiting list
    page.goto(f"/teams/{world.hub.pk}/waiting-list")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text(routine.reference)
    expect(page.get_by_text(urgent.reference)).to_have_count(0)
    checkpoint(page, "waiting-list-after")
