"""A practitioner records that a mother speaks Polish and needs an interpreter, books a
professional interpreter for the family's next home visit, sees it in her diary, confirms it and
sees it confirmed on the appointment. Refusals on the way (an interpreter with no language; the
"professional, not family" confirmation left unticked) keep what was typed. Each page passes axe."""

import datetime as dt
import re
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.models import InterpreterBooking
from attune.care.tests.factories import open_episode
from attune.care.tests.factories_diary import appointment, at
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_interpreter_booked_and_shown_in_the_diary(
    page: Page, world: World, practitioner: User, auth, checkpoint: Check
) -> None:
    # Given a family on Pat's caseload, with a home visit booked for two days from now
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - dt.timedelta(days=7), codes=())
    mum = episode.carers.get()
    mum.given_name, mum.family_name = "Anna", "Nowak"
    mum.save()
    day = timezone.localdate() + dt.timedelta(days=2)
    visit = appointment(episode, practitioner, at(day, 10))

    # When she signs in and opens the mother's language from the family record
    auth.sign_in(page, practitioner)
    page.goto(f"/families/{episode.family_id}")
    page.get_by_role("link", name="Change language for Anna Nowak").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Language and interpreter")
    expect(page.locator(".nhsuk-inset-text")).to_contain_text("Never ask a family member, a friend or a child")
    checkpoint(page, "language")

    # And says she needs an interpreter without saying which language
    page.get_by_label("Dialect (optional)").fill("Silesian")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Save language").click()

    # Then she is told to enter the language, and what she typed is kept
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary").get_by_role("link")).to_have_text(
        "Enter the language the interpreter needs to speak"
    )
    expect(page.get_by_label("Dialect (optional)")).to_have_value("Silesian")
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()
    checkpoint(page, "language-error")

    # When she enters Polish and saves
    page.get_by_label("Spoken language").fill("Polish")
    page.get_by_role("button", name="Save language").click()

    # Then the family record shows the mother's language and her need for an interpreter
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Language saved for Anna Nowak.")
    expect(page.get_by_text("Polish, Silesian dialect")).to_be_visible()
    expect(page.get_by_text("Needs an interpreter")).to_be_visible()
    checkpoint(page, "family")

    # When she opens the visit, she is prompted to book an interpreter
    page.goto(f"/appointments/{visit.pk}")
    section = page.locator("#interpreter")
    expect(section).to_contain_text(
        "Anna Nowak needs an interpreter (Polish, Silesian dialect). No interpreter is booked."
    )
    checkpoint(page, "appointment-prompt")
    section.get_by_role("link", name="Book an interpreter").click()

    # And the booking is filled in from the mother's record
    expect(page.get_by_role("heading", level=1)).to_have_text("Interpreter")
    expect(page.get_by_label("Language", exact=True)).to_have_value("Polish")
    expect(page.get_by_label("Dialect (optional)")).to_have_value("Silesian")
    expect(page.get_by_role("radio", name="Anna Nowak")).to_be_checked()
    checkpoint(page, "book-interpreter")

    # When she books without confirming the interpreter is a professional
    page.get_by_label("Interpreting service or interpreter").fill("Lancashire Interpreting Service")
    page.get_by_role("radio", name="By phone").check()
    page.get_by_label("Booking reference (optional)").fill("LIS-2041")
    page.get_by_role("button", name="Book interpreter").click()

    # Then she is asked to confirm it, and nothing she typed is lost
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary").get_by_role("link")).to_have_text(
        "Confirm the interpreter is a professional, not a family member or friend"
    )
    expect(page.get_by_label("Interpreting service or interpreter")).to_have_value("Lancashire Interpreting Service")
    expect(page.get_by_role("radio", name="By phone")).to_be_checked()
    assert not InterpreterBooking.objects.exists()
    checkpoint(page, "book-interpreter-error")

    # When she confirms it and books
    page.get_by_label("I confirm the interpreter is a professional").check()
    page.get_by_role("button", name="Book interpreter").click()

    # Then the appointment shows the interpreter booked
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Interpreter booked: Polish, Silesian dialect."
    )
    expect(page).to_have_url(re.compile(rf"/appointments/{visit.pk}$"))
    expect(page.locator("#interpreter")).to_contain_text("Booked")
    expect(page.locator("#interpreter")).to_contain_text("Lancashire Interpreting Service")

    # And her diary shows the interpreter on the visit
    page.goto(f"/diary?week={day.isoformat()}")
    row = page.locator(f"section[aria-labelledby='day-{day.isoformat()}']")
    expect(row).to_contain_text("Interpreter: Polish, Silesian dialect (booked)")
    checkpoint(page, "diary")

    # When the interpreting service confirms, she confirms the booking
    page.goto(f"/appointments/{visit.pk}")
    page.get_by_role("link", name="Confirm or cancel the interpreter").click()
    checkpoint(page, "confirm-interpreter")
    page.get_by_role("button", name="Confirm the interpreter").click()

    # Then the appointment shows it confirmed, and so does the diary
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Interpreter confirmed")
    expect(page.locator("#interpreter")).to_contain_text("Confirmed")
    expect(page.locator("#interpreter")).to_contain_text("by Pat Practitioner")
    assert InterpreterBooking.objects.get().is_confirmed
    checkpoint(page, "appointment-confirmed")
    page.goto(f"/diary?week={day.isoformat()}")
    expect(page.locator(f"section[aria-labelledby='day-{day.isoformat()}']")).to_contain_text(
        "Interpreter: Polish, Silesian dialect (confirmed)"
    )

    # And at 320 pixels wide neither the interpreter page nor the language page scrolls sideways
    page.set_viewport_size({"width": 320, "height": 640})
    for url in (f"/appointments/{visit.pk}/interpreter", f"/families/{episode.family_id}/carers/{mum.pk}/language"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    checkpoint(page, "language-narrow")
