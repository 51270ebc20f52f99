"""A hub team lead checks last month's MHSDS return: one home visit was recorded before Attune
asked how contacts were held, so the check finds it and links to the appointment; the practitioner
records it and the check passes; the lead downloads the zip. Every page passes axe as it is."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.care import services
from attune.care.models import Appointment
from attune.care.tests.factories import AppointmentFactory, open_episode
from attune.core.actors import Actor
from attune.core.formatting import LONDON
from attune.interop.mhsds_forms import default_month
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]


def test_team_lead_checks_mends_and_downloads_the_mhsds_extract(
    page: Page, world: World, auth, checkpoint: Check
) -> None:
    # Given the lead of the hub and a practitioner who saw a family last month
    lead: User = UserFactory(full_name="Priya Shah")
    MembershipFactory(user=lead, team=world.hub, role=Role.TEAM_LEAD)
    therapist: User = UserFactory(full_name="Hannah Wood")
    MembershipFactory(user=therapist, team=world.hub, role=Role.PRACTITIONER)
    month = default_month(timezone.localdate())
    visit_at = dt.datetime.combine(month.start + dt.timedelta(days=9), dt.time(10), tzinfo=LONDON)
    episode = open_episode(world.hub, therapist, opened_at=visit_at - dt.timedelta(days=30))
    episode.carers.update(date_of_birth=dt.date(1993, 6, 2))
    visit = services.record_attendance(
        actor=Actor.system("journey", for_user=therapist),
        appointment=AppointmentFactory(episode=episode, practitioner=therapist, starts_at=visit_at),
        attendance="5",
        infants=list(episode.infants.all()),
        carers=list(episode.carers.all()),
    )
    # ... recorded before Attune asked where it was held (as history brought in from elsewhere is)
    Appointment.objects.filter(pk=visit.pk).update(activity_location_type="")

    # When she opens the MHSDS page and checks last month for the hub
    auth.sign_in(page, lead)
    page.goto("/mhsds/")
    expect(page.get_by_role("heading", name="Mental Health Services Data Set extract", level=1)).to_be_visible()
    expect(page.get_by_label("Month")).to_have_value(month.key)
    checkpoint(page, "chooser")
    page.get_by_role("button", name="Check the extract").click()

    # Then the check finds the face to face contact without its place and links to the appointment
    expect(page.get_by_role("heading", name=f"Example hub team: {month.label}")).to_be_visible()
    expect(page.get_by_text("2 errors to mend")).to_be_visible()
    expect(page.get_by_text("A face to face contact needs its location").first).to_be_visible()
    checkpoint(page, "errors")
    href = page.get_by_role("link", name="Open the appointment").first.get_attribute("href")
    assert href == f"/appointments/{visit.pk}"

    # When the practitioner's record is mended (here, as her recording would)
    Appointment.objects.filter(pk=visit.pk).update(activity_location_type="A01")
    page.get_by_role("button", name="Check the extract").click()

    # Then the extract passes, with the rows per table, and downloads as one zip
    expect(page.get_by_role("heading", name="No errors")).to_be_visible()
    counts = page.get_by_role("table", name="Rows in each table")
    expect(counts.get_by_role("row").filter(has_text="MHS201CareContact")).to_contain_text("2")
    checkpoint(page, "passed")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the extract (zip of CSV files)").click()
    assert downloading.value.suggested_filename == f"MHSDS_RXX_{month.key}.zip"

    # And on a phone's 320 pixels the page reflows: only the tables' own regions scroll sideways
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    checkpoint(page, "narrow")
