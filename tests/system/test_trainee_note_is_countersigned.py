"""A trainee in the satellite team signs her note of a visit; her supervisor in the hub sees the
countersigning task on his home page, follows it, countersigns, and the task is gone. Each page
passes axe."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.tests.factories import AppointmentFactory, open_episode
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_trainees_note_is_countersigned_by_her_supervisor(
    page: Page,
    new_page: Callable[[], Page],
    world: World,
    trainee: User,
    supervisor: User,
    auth,
    checkpoint: Check,
) -> None:
    # Given a visit the trainee made yesterday to a family on her caseload
    episode = open_episode(world.satellite, trainee, opened_at=timezone.now() - dt.timedelta(days=10), codes=())
    starts = timezone.now() - dt.timedelta(days=1)
    visit = AppointmentFactory(
        episode=episode, practitioner=trainee, starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
    )

    # When she writes and signs her note
    auth.sign_in(page, trainee)
    page.goto(f"/appointments/{visit.pk}")
    page.get_by_role("textbox", name="Note").fill("Dad joined us. Baby settled quickly on his chest.")
    page.get_by_role("button", name="Sign and lock").click()

    # Then it is locked and waits for a supervisor's countersignature
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "A clinical supervisor will be asked to countersign it."
    )
    expect(page.locator("#note")).to_contain_text("Awaiting countersignature")
    expect(page.get_by_role("button", name="Countersign")).to_have_count(0)
    checkpoint(page, "trainee-signed")

    # When her supervisor signs in
    other = new_page()
    auth.sign_in(other, supervisor)

    # Then the countersigning task is first on his home page
    tasks = other.get_by_role("region", name="Your tasks")
    expect(tasks).to_contain_text("Countersign Tina Trainee's note")
    expect(tasks).to_contain_text("raised today")
    checkpoint(other, "supervisor-home")

    # When he follows it and countersigns
    tasks.get_by_role("link", name="Countersign Tina Trainee's note").click()
    expect(other.locator("#note")).to_contain_text("Dad joined us.")
    checkpoint(other, "to-countersign")
    other.get_by_role("button", name="Countersign").click()

    # Then the note shows who countersigned it
    expect(other.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "You countersigned Tina Trainee's note."
    )
    expect(other.locator("#note")).to_contain_text("Countersigned by Sam Supervisor on")
    expect(other.locator("#note")).to_contain_text("Signed and countersigned")
    checkpoint(other, "countersigned")

    # And the task has gone from his home page
    other.goto("/")
    tasks = other.get_by_role("region", name="Your tasks")
    expect(tasks).to_contain_text("You have no tasks.")
    expect(tasks.get_by_role("link")).to_have_count(0)
    checkpoint(other, "supervisor-home-after")
