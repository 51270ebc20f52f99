"""A trainee in the satellite team signs her note of a visit; her supervisor in the hub sees the
countersigning task on his home page, follows it and returns the note with comments; she answers
with an addendum from her task, the note comes back to him, he countersigns, the history shows
every step and the task is gone. Each page passes axe."""

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

    # When he follows it and returns the note with comments instead of countersigning
    tasks.get_by_role("link", name="Countersign Tina Trainee's note").click()
    expect(other.locator("#note")).to_contain_text("Dad joined us.")
    checkpoint(other, "to-countersign")
    other.get_by_role("button", name="Return to the trainee with comments").click()  # beside Countersign
    other.get_by_role("button", name="Return to the trainee with comments").click()
    # (a return without comments is refused with a specific error)
    expect(other.locator(".nhsuk-error-summary")).to_contain_text("Enter your comments for the trainee")
    checkpoint(other, "return-refused")
    other.get_by_role("textbox", name="Comments for the trainee").fill("Say how long it took baby to settle.")
    other.get_by_role("button", name="Return to the trainee with comments").click()
    expect(other.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Note returned to Tina Trainee with your comments."
    )
    checkpoint(other, "returned")

    # Then the trainee has a task with his comments, and answers it with an addendum
    page.goto("/")
    mine = page.get_by_role("region", name="Your tasks")
    expect(mine).to_contain_text("Say how long it took baby to settle.")
    checkpoint(page, "trainee-home-returned")
    mine.get_by_role("link", name="Sam Supervisor returned your note").click()
    page.get_by_role("textbox", name="Add an addendum").fill("About ten minutes; Dad saw her relax.")
    page.get_by_role("button", name="Add addendum and send for countersigning").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "The note has gone back to your supervisor to countersign."
    )
    checkpoint(page, "trainee-answered")

    # And the note comes back to him: he countersigns it
    other.goto("/")
    tasks = other.get_by_role("region", name="Your tasks")
    tasks.get_by_role("link", name="Countersign Tina Trainee's note").click()
    expect(other.locator("#note")).to_contain_text("About ten minutes; Dad saw her relax.")
    other.get_by_role("button", name="Countersign").click()

    # Then the note shows who countersigned it
    expect(other.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "You countersigned Tina Trainee's note."
    )
    expect(other.locator("#note")).to_contain_text("Countersigned by Sam Supervisor on")
    expect(other.locator("#note")).to_contain_text("Signed and countersigned")
    checkpoint(other, "countersigned")

    # And the note's history shows every step in order
    other.get_by_role("link", name="See the note's history").click()
    history = other.locator("#history")
    expect(history).to_contain_text("Signed by Tina Trainee")
    expect(history).to_contain_text("Returned with comments by Sam Supervisor")
    expect(history).to_contain_text("Say how long it took baby to settle.")
    expect(history).to_contain_text("Addendum by Tina Trainee, answering the comments")
    expect(history).to_contain_text("Countersigned by Sam Supervisor")
    checkpoint(other, "history")

    # And the task has gone from his home page
    other.goto("/")
    tasks = other.get_by_role("region", name="Your tasks")
    expect(tasks).to_contain_text("You have no tasks.")
    expect(tasks.get_by_role("link")).to_have_count(0)
    checkpoint(other, "supervisor-home-after")
