"""A practitioner books a home visit for a family on her caseload, checks in and out, records who
attended, tries to sign an empty note and is told to write it first, writes and signs it, and
sees it locked in her diary. Each page passes axe."""

import datetime as dt
import re
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.codes import Attendance
from attune.care.models import Appointment, Note, NoteStatus
from attune.care.tests.factories import open_episode
from attune.core.formatting import LONDON
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def earlier_today() -> tuple[dt.datetime, dt.datetime]:
    """A visit that started up to an hour ago (not before midnight), an hour long: near enough
    that checking in now asks no question (more than two hours from the booking would)."""
    now = timezone.now().astimezone(LONDON).replace(second=0, microsecond=0)
    midnight = now.replace(hour=0, minute=0)
    starts = max(now - dt.timedelta(hours=1), midnight)
    return starts, starts + dt.timedelta(hours=1)


def test_practitioner_books_a_home_visit_and_signs_the_note(
    page: Page, world: World, practitioner: User, auth, checkpoint: Check
) -> None:
    # Given a family on Pat's caseload, allocated three days ago
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(days=3), codes=())
    carer = episode.carers.get()
    starts, ends = earlier_today()

    # When she signs in and books a home visit for earlier today
    auth.sign_in(page, practitioner)
    page.goto(f"/episodes/{episode.pk}/appointments/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    expect(page.get_by_label("Practitioner", exact=True)).to_have_value(str(practitioner.pk))
    checkpoint(page, "book")
    page.get_by_label("Home visit").check()
    page.get_by_label("Day").fill(str(starts.day))
    page.get_by_label("Month").fill(str(starts.month))
    page.get_by_label("Year").fill(str(starts.year))
    page.get_by_label("Start time").fill(f"{starts:%H:%M}")
    page.get_by_label("End time").fill(f"{ends:%H:%M}")
    page.get_by_role("button", name="Book appointment").click()

    # Then she is on the appointment, with a confirmation
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Home visit booked for")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Home visit, ")
    visit = Appointment.objects.get(episode=episode)
    expect(page).to_have_url(re.compile(rf"/appointments/{visit.pk}$"))
    checkpoint(page, "appointment")

    # When she checks in and out of the visit
    page.get_by_role("button", name="Check in").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Checked in at")
    page.get_by_role("button", name="Check out").click()
    expect(page.locator("#lone-working")).to_contain_text("Checked out at")

    # And records that the family attended, and who came
    page.get_by_label("Attended", exact=True).check()
    page.get_by_label(f"{carer.full_name} (", exact=False).check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Attendance recorded: Attended.")
    expect(page.locator("#attendance")).to_contain_text(carer.full_name)
    visit.refresh_from_db()
    assert visit.attendance == Attendance.ATTENDED

    # When she tries to sign the note before writing it
    page.get_by_role("button", name="Sign and lock").click()

    # Then she is told to write it first
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary").get_by_role("link")).to_have_text("Write the note before signing it")
    checkpoint(page, "empty-note")

    # When she writes the note and signs it
    note = page.get_by_role("textbox", name="Note")
    note.fill("We watched the video together.\nMum noticed how her baby looked for her.")
    page.get_by_role("button", name="Sign and lock").click()

    # Then the note is locked: shown as written, with only an addendum possible
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Note signed and locked.")
    section = page.locator("#note")
    expect(section).to_contain_text("Mum noticed how her baby looked for her.")
    expect(section).to_contain_text("Signed by Pat Practitioner on")
    expect(page.get_by_role("textbox", name="Note")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign and lock")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Add an addendum")).to_be_visible()
    assert Note.objects.get(appointment=visit).status == NoteStatus.SIGNED
    checkpoint(page, "signed")

    # And her diary shows the visit today, attended, its note signed
    page.goto("/diary")
    today = page.locator(f"section[aria-labelledby='day-{starts.date().isoformat()}']")
    expect(today).to_contain_text("Today")
    expect(today).to_contain_text("Home visit")
    expect(today).to_contain_text("Attended")
    expect(today).to_contain_text("Signed")
    checkpoint(page, "diary")
