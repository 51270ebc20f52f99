"""Issue 15: a new satellite team is set up on pages alone. From an empty database, whoever
installed Attune runs `manage.py setup_service`; the trust's first system administrator opens
the printed link, chooses a password, sets up two-factor sign-in, then adds the ICB, the council,
the service, the hub and the satellite team, and a family hub with a room. A satellite without
its hub is refused with what was typed kept. Every page is checked with axe."""

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from attune.care.models import Room
from attune.organisations.models import Organisation, Site, Team, TeamKind

Check = Callable[[Page, str], None]
PASSWORD = "a long and memorable passphrase"


class Tally:
    """Pages opened and fields filled in, for the report (issue 15: under 30 minutes)."""

    def __init__(self) -> None:
        self.pages = 0
        self.fields = 0

    def fill(self, page: Page, label: str, value: str, **kwargs: Any) -> None:
        page.get_by_label(label, **kwargs).fill(value)
        self.fields += 1

    def choose(self, page: Page, label: str, **kwargs: Any) -> None:
        page.get_by_label(label, **kwargs).check()
        self.fields += 1

    def select(self, page: Page, label: str, option: str) -> None:
        page.get_by_label(label).select_option(label=option)
        self.fields += 1

    def checkpoint(self, check: Check, page: Page, step: str) -> None:
        self.pages += 1
        check(page, step)


@pytest.mark.django_db(transaction=True)
def test_administrator_sets_up_a_satellite_team(page: Page, live_server: Any, auth: Any, checkpoint: Check) -> None:
    tally = Tally()

    # Given a new installation: nobody has an account
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up Attune")
    expect(page.locator("code")).to_have_text("python manage.py setup_service")
    tally.checkpoint(checkpoint, page, "first-run")

    # When whoever installed it runs setup_service
    out = io.StringIO()
    call_command(
        "setup_service",
        no_input=True,
        organisation_name="Blackpool Teaching Hospitals NHS Foundation Trust",
        ods_code="RXL",
        admin_name="Ada Admin",
        admin_email="ada.admin@nhs.example",
        site_url=live_server.url,
        stdout=out,
    )
    link = out.getvalue().strip().splitlines()[-1]
    assert link.startswith(f"{live_server.url}/account/set-up/")

    # And the administrator opens the link and chooses a password
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a password")
    tally.checkpoint(checkpoint, page, "choose-password")
    tally.fill(page, "New password", PASSWORD, exact=True)
    tally.fill(page, "Confirm new password", PASSWORD)
    page.get_by_role("button", name="Save password").click()

    # Then signs in and sets up two-factor sign-in
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Attune")
    tally.checkpoint(checkpoint, page, "sign-in")
    auth.enter_password(page, "ada.admin@nhs.example", PASSWORD)
    tally.fields += 2
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    tally.checkpoint(checkpoint, page, "two-factor")
    key = auth.key_from_set_up_page(page.locator(".app-secret-key").inner_text())
    tally.fill(page, "Security code", auth.code(key))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    tally.checkpoint(checkpoint, page, "recovery-codes")
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ada")
    tally.checkpoint(checkpoint, page, "home")

    # When she opens Set-up and adds the ICB and the council
    page.get_by_role("banner").get_by_role("link", name="Set-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set-up")
    tally.checkpoint(checkpoint, page, "set-up")
    page.get_by_role("link", name="Organisations").click()
    tally.checkpoint(checkpoint, page, "organisations")
    for kind, name, code in [
        ("Integrated care board (ICB)", "Lancashire and South Cumbria Integrated Care Board", "QE1"),
        ("Council", "Blackburn with Darwen Borough Council", "E06000008"),
    ]:
        page.get_by_role("button", name="Add an organisation").click()
        tally.checkpoint(checkpoint, page, f"add-{code}")
        tally.choose(page, kind)
        tally.fill(page, "Name", name)
        tally.fill(page, "Code", code)
        page.get_by_role("button", name="Add organisation").click()
        expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(f"{name} is added.")
    tally.checkpoint(checkpoint, page, "organisations-added")

    # And the service, commissioned by the ICB
    page.locator("a.nhsuk-back-link").click()  # back to Set-up
    page.get_by_role("link", name="Services").click()
    page.get_by_role("button", name="Add a service").click()
    tally.checkpoint(checkpoint, page, "add-service")
    tally.fill(page, "Name of the service", "Blackpool Parent Infant Relationship Service")
    tally.select(page, "Commissioner", "Lancashire and South Cumbria Integrated Care Board")
    page.get_by_role("button", name="Add service").click()

    # And the hub team
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams")
    tally.checkpoint(checkpoint, page, "teams")
    page.get_by_role("button", name="Add a team").click()
    tally.fill(page, "Name of the team", "Blackpool PAIRS hub team")
    tally.choose(page, "Hub team", exact=True)
    page.get_by_role("button", name="Add team").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Blackpool PAIRS hub team is added.")

    # When she adds the satellite, serving the council's area, but forgets its supervising hub
    page.get_by_role("button", name="Add a team").click()
    tally.fill(page, "Name of the team", "Blackburn with Darwen satellite team")
    tally.choose(page, "Satellite team, supervised by a hub team")
    tally.select(page, "Council area the team serves", "Blackburn with Darwen Borough Council")
    page.get_by_role("button", name="Add team").click()

    # Then she is told, and what she typed is kept
    expect(page).to_have_title(re.compile(r"^Error: Add a team"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text("Select the hub team that supervises this satellite team")
    expect(page.get_by_label("Name of the team")).to_have_value("Blackburn with Darwen satellite team")
    expect(page.get_by_label("Satellite team, supervised by a hub team")).to_be_checked()
    expect(page.get_by_label("Council area the team serves").locator("option:checked")).to_have_text(
        "Blackburn with Darwen Borough Council"
    )
    tally.checkpoint(checkpoint, page, "satellite-without-hub")

    # When she chooses the hub
    tally.select(
        page, "Supervising hub team", "Blackpool PAIRS hub team (Blackpool Parent Infant Relationship Service)"
    )
    page.get_by_role("button", name="Add team").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("satellite team is added.")
    satellite = Team.objects.get(name="Blackburn with Darwen satellite team")
    assert satellite.kind == TeamKind.SATELLITE
    assert satellite.hub is not None
    assert satellite.hub.name == "Blackpool PAIRS hub team"
    assert satellite.local_authority is not None
    assert satellite.local_authority.name == "Blackburn with Darwen Borough Council"
    tally.checkpoint(checkpoint, page, "teams-added")

    # And adds the satellite's family hub, with a room
    page.get_by_role("row", name=re.compile("Blackburn with Darwen satellite team")).get_by_role(
        "link", name="Sites and rooms"
    ).click()
    tally.checkpoint(checkpoint, page, "sites")
    page.get_by_role("button", name="Add a site").click()
    tally.checkpoint(checkpoint, page, "add-site")
    tally.choose(page, "Family hub")
    tally.fill(page, "Name of the site", "Darwen family hub")
    tally.fill(page, "Address", "Union Street\nDarwen")
    tally.fill(page, "Postcode", "bb3 1ax")
    tally.fill(page, "Opening hours", "Monday to Friday, 9am to 5pm")
    page.get_by_role("button", name="Add site").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Darwen family hub is added.")
    tally.checkpoint(checkpoint, page, "site-added")
    page.get_by_role("link", name="Rooms (0)").click()
    page.get_by_role("button", name="Add a room").click()
    tally.checkpoint(checkpoint, page, "add-room")
    tally.fill(page, "Name of the room", "Family room 1")
    page.get_by_role("button", name="Add room").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rooms at Darwen family hub")
    expect(page.get_by_role("table")).to_contain_text("Family room 1")
    tally.checkpoint(checkpoint, page, "rooms")

    # Then the service is set up as the scenario describes
    site = Site.objects.get(name="Darwen family hub")
    assert (site.team, site.postcode) == (satellite, "BB3 1AX")
    assert Room.objects.get(site=site).name == "Family room 1"
    assert Organisation.objects.count() == 3
    print(f"\nJourney: {tally.pages} pages checked, {tally.fields} fields filled in")
