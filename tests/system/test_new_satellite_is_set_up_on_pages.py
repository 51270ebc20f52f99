"""Issue 15, done when: a real service sets itself up without code. From an empty database,
whoever installed Attune runs `manage.py setup_service`; from then on everything is done on
pages. The first system administrator chooses a password and sets up two-factor sign-in, adds
the ICB and the council, the service, the hub and the satellite, two family hubs with a room
each, and invites a team lead (of both teams) and two trainees (satellite). The team lead sets
up her account and sets the satellite's eligibility, targets and catchment, the trainees'
capacity and the measure schedule. A trainee sets up her account and sees her empty caseload.
Then a health visitor refers a family in the satellite's postcode district on the public form,
and the referral waits in the satellite's triage inbox. Every page is checked with axe; the
pages opened and fields filled in are counted, so growth in the effort is noticed."""

import io
import re
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.models import PractitionerCapacity, Room
from attune.notifications.models import Message
from attune.organisations.models import Organisation, Service, Site, Team, TeamKind
from attune.outcomes.models import MeasureSchedule
from attune.referrals.models import Referral

Check = Callable[[Page, str], None]
ADMIN_PASSWORD = "a long and memorable passphrase"
LEAD_PASSWORD = "the leads walk along the prom"
TRAINEE_PASSWORD = "a long lasting blackpool tower"
TRUST = "Blackpool Teaching Hospitals NHS Foundation Trust"
ICB = "Lancashire and South Cumbria Integrated Care Board"
COUNCIL = "Blackburn with Darwen Borough Council"
SERVICE = "Blackpool Parent Infant Relationship Service"
HUB = "Blackpool PAIRS hub team"
SATELLITE = "Blackburn with Darwen satellite team"
# Ceilings on the effort, so that growth is noticed: raise them only on purpose.
MAX_VISITS = 110
MAX_FIELDS = 100
# A person's time for the set-up (administrator and team lead), estimated in the manner of the
# keystroke-level model: a page read and a choice made on it, a field found and filled, each
# character typed by an average typist (40 words a minute), and two-factor enrolment with a phone.
SECONDS_A_PAGE = 15
SECONDS_A_FIELD = 5
SECONDS_A_CHARACTER = 0.3
SECONDS_TO_ENROL_TWO_FACTOR = 90
SET_UP_TARGET_MINUTES = 30


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


class Tally:
    """Pages looked at and fields filled in, for the report (issue 15: under 30 minutes)."""

    def __init__(self, check: Check) -> None:
        self.check = check
        self.pages = 0
        self.visits = 0
        self.fields = 0
        self.characters = 0

    def fill(self, page: Page, label: str, value: str, **kwargs: Any) -> None:
        page.get_by_label(label, **kwargs).fill(value)
        self.fields += 1
        self.characters += len(value)

    def minutes_for_a_person(self, enrolments: int) -> float:
        """The estimated time a person takes for what was counted so far."""
        seconds = (
            self.visits * SECONDS_A_PAGE
            + self.fields * SECONDS_A_FIELD
            + self.characters * SECONDS_A_CHARACTER
            + enrolments * SECONDS_TO_ENROL_TWO_FACTOR
        )
        return seconds / 60

    def choose(self, page: Page, label: str, **kwargs: Any) -> None:
        page.get_by_label(label, **kwargs).check()
        self.fields += 1

    def select(self, page: Page, label: str, option: str) -> None:
        page.get_by_label(label).select_option(label=option)
        self.fields += 1

    def checkpoint(self, page: Page, step: str) -> None:
        self.pages += 1
        self.check(page, step)

    def at(self, page: Page, title: str, step: str, *, contains: bool = False) -> None:
        """Check the page is the one expected (its heading), then look at it with axe."""
        heading = expect(page.get_by_role("heading", level=1))
        if contains:
            heading.to_contain_text(title)
        else:
            heading.to_have_text(title)
        self.checkpoint(page, step)

    def watch(self, page: Page) -> Page:
        """Count every page the browser loads in this tab, checked or not."""
        page.on("load", lambda _: self._visited())
        return page

    def _visited(self) -> None:
        self.visits += 1


def heading(page: Page) -> Any:
    return expect(page.get_by_role("heading", level=1))


def banner(page: Page) -> Any:
    return expect(page.locator(".nhsuk-notification-banner--success"))


def set_up_account(page: Page, tally: Tally, auth: Any, path: str, email: str, password: str, first_name: str) -> None:
    """Open the set-up link, choose a password, sign in and set up the authenticator app."""
    page.goto(path)
    heading(page).to_have_text("Choose a password")
    tally.checkpoint(page, f"{first_name}-choose-password")
    tally.fill(page, "New password", password, exact=True)
    tally.fill(page, "Confirm new password", password)
    page.get_by_role("button", name="Save password").click()
    heading(page).to_have_text("Sign in to Attune")
    tally.checkpoint(page, f"{first_name}-sign-in")
    auth.enter_password(page, email, password)
    tally.fields += 2
    tally.characters += len(email) + len(password)
    heading(page).to_have_text("Set up two-factor sign-in")
    tally.checkpoint(page, f"{first_name}-two-factor")
    key = auth.key_from_set_up_page(page.locator(".app-secret-key").inner_text())
    tally.fill(page, "Security code", auth.code(key))
    page.get_by_role("button", name="Continue").click()
    heading(page).to_have_text("Save your recovery codes")
    tally.checkpoint(page, f"{first_name}-recovery-codes")
    page.get_by_role("button", name="I have saved my recovery codes").click()
    heading(page).to_have_text(f"Hello, {first_name}")
    tally.checkpoint(page, f"{first_name}-home")


def set_up_link(email: str) -> str:
    """The set-up link in the invitation email, from the outbox."""
    message = Message.objects.filter(to=email).latest("created_at")
    found = re.search(r"https?://\S+(/account/set-up/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def refer_an_unborn_baby(page: Page, tally: Tally, postcode: str) -> None:
    """The public referral form, as a health visitor fills it in (see
    test_health_visitor_refers_unborn_baby.py for its mistakes and changes)."""

    def continue_() -> None:
        page.get_by_role("button", name="Continue").click()

    page.goto("/refer")
    tally.checkpoint(page, "refer-start")
    page.get_by_role("button", name="Refer a family (for professionals)").click()
    tally.at(page, "What is the family's postcode?", "refer-postcode")
    tally.fill(page, "What is the family's postcode?", postcode)
    continue_()
    tally.at(page, "Has the baby been born?", "refer-01")
    tally.choose(page, "No, not yet")
    continue_()
    tally.at(page, "About the baby", "refer-02")
    due = timezone.localdate() + timedelta(days=91)
    tally.fill(page, "Day", str(due.day))
    tally.fill(page, "Month", str(due.month))
    tally.fill(page, "Year", str(due.year))
    continue_()
    tally.at(page, "About the baby's main parent or carer", "refer-03")
    tally.fill(page, "First name", "Amira")
    tally.fill(page, "Last name", "Ahmed")
    tally.choose(page, "Mother", exact=True)
    page.get_by_role("group", name="Do they have parental responsibility for the baby?").get_by_label("Yes").check()
    tally.fields += 1
    continue_()
    tally.at(page, "How to contact the main parent or carer", "refer-04")
    tally.fill(page, "Phone number (optional)", "07700 900461")
    page.get_by_role("group", name=re.compile("Is it safe to send text messages")).get_by_label("Yes").check()
    tally.fields += 1
    tally.choose(page, "Text message")
    continue_()
    tally.at(page, "Is there another parent or carer?", "refer-05")
    tally.choose(page, "No")
    continue_()
    tally.at(page, "The family's address", "refer-06")
    tally.fill(page, "Address line 1", "14 Larkhill Street")
    tally.fill(page, "Town or city", "Blackburn")
    continue_()
    tally.at(page, "The family's language and ethnic group", "refer-07")
    page.get_by_role("group", name="Does the family need an interpreter?").get_by_label("No").check()
    tally.fields += 1
    continue_()
    tally.at(page, "The family's GP and other professionals", "refer-08")
    continue_()
    tally.at(page, "Why are you referring this family?", "refer-09")
    tally.fill(page, "Why are you referring this family?", "Amira is anxious about bonding with her baby.")
    continue_()
    tally.at(page, "What is putting stress on the relationship", "refer-10", contains=True)
    tally.choose(page, "Isolation or little support")
    continue_()
    tally.at(page, "What safeguarding involvement do you know of?", "refer-11")
    tally.choose(page, "None known")
    continue_()
    tally.at(page, "About you", "refer-12")
    tally.fill(page, "Full name", "Sarah Collins")
    tally.choose(page, "Health visitor")
    tally.fill(page, "Organisation", "Blackburn with Darwen 0-19 service")
    tally.fill(page, "Work email address", "sarah.collins@example.nhs.uk")
    continue_()
    tally.at(page, "Has the family agreed to this referral?", "refer-13")
    tally.choose(page, "Yes")
    continue_()
    tally.at(page, "Check your answers before sending your referral", "refer-14")
    page.get_by_role("button", name="Send referral").click()


@pytest.mark.django_db(transaction=True)
def test_a_new_satellite_is_set_up_on_pages_and_receives_a_referral(
    page: Page, new_page: Callable[[], Page], live_server: Any, auth: Any, checkpoint: Check
) -> None:
    started = time.monotonic()
    tally = Tally(checkpoint)
    tally.watch(page)

    # Given a new installation: nobody has an account
    assert not User.objects.exists()
    page.goto("/")
    heading(page).to_have_text("Set up Attune")
    tally.checkpoint(page, "first-run")

    # When whoever installed it runs setup_service
    out = io.StringIO()
    call_command(
        "setup_service",
        no_input=True,
        organisation_name=TRUST,
        ods_code="RXL",
        admin_name="Ada Admin",
        admin_email="ada.admin@nhs.example",
        site_url=live_server.url,
        stdout=out,
    )
    link = out.getvalue().strip().splitlines()[-1]
    assert link.startswith(f"{live_server.url}/account/set-up/")

    # And the administrator opens the link, chooses a password and sets up two-factor sign-in
    set_up_account(page, tally, auth, link, "ada.admin@nhs.example", ADMIN_PASSWORD, "Ada")

    # When she opens Set-up and adds the ICB and the council
    page.get_by_role("banner").get_by_role("link", name="Set-up").click()
    heading(page).to_have_text("Set-up")
    tally.checkpoint(page, "set-up")
    page.get_by_role("link", name="Organisations").click()
    tally.checkpoint(page, "organisations")
    for kind, name, code in [("Integrated care board (ICB)", ICB, "QE1"), ("Council", COUNCIL, "E06000008")]:
        page.get_by_role("button", name="Add an organisation").click()
        tally.checkpoint(page, f"add-{code}")
        tally.choose(page, kind)
        tally.fill(page, "Name", name)
        tally.fill(page, "Code", code)
        page.get_by_role("button", name="Add organisation").click()
        banner(page).to_contain_text(f"{name} is added.")
    tally.checkpoint(page, "organisations-added")

    # And the service: provided by the trust, commissioned by the ICB
    page.locator("a.nhsuk-back-link").click()
    heading(page).to_have_text("Set-up")
    page.get_by_role("link", name="Services").click()
    tally.checkpoint(page, "services")
    page.get_by_role("button", name="Add a service").click()
    tally.checkpoint(page, "add-service")
    tally.fill(page, "Name of the service", SERVICE)
    # (the provider is not asked: the administrator's trust is the only one she may choose)
    expect(page.get_by_label("Provider")).to_have_count(0)
    tally.select(page, "Commissioner", ICB)
    page.get_by_role("button", name="Add service").click()

    # And the hub team, then the satellite supervised by the hub
    heading(page).to_have_text("Teams")
    tally.checkpoint(page, "teams")
    page.get_by_role("button", name="Add a team").click()
    tally.checkpoint(page, "add-hub")
    tally.fill(page, "Name of the team", HUB)
    tally.choose(page, "Hub team", exact=True)
    page.get_by_role("button", name="Add team").click()
    banner(page).to_contain_text(f"{HUB} is added.")
    page.get_by_role("button", name="Add a team").click()
    tally.checkpoint(page, "add-satellite")
    tally.fill(page, "Name of the team", SATELLITE)
    tally.choose(page, "Satellite team, supervised by a hub team")
    tally.select(page, "Supervising hub team", f"{HUB} ({SERVICE})")
    tally.select(page, "Council area the team serves", COUNCIL)
    page.get_by_role("button", name="Add team").click()
    banner(page).to_contain_text(f"{SATELLITE} is added.")
    tally.checkpoint(page, "teams-added")
    satellite = Team.objects.get(name=SATELLITE)
    hub = Team.objects.get(name=HUB)
    assert (satellite.kind, satellite.hub) == (TeamKind.SATELLITE, hub)
    assert satellite.local_authority is not None
    assert satellite.local_authority.name == COUNCIL
    service = Service.objects.get()
    assert (service.provider.code, service.commissioner.name) == ("RXL", ICB)

    # And two family hubs for the satellite, with a room each
    for site_name, address, postcode, room in [
        ("Darwen family hub", "Union Street\nDarwen", "bb3 1ax", "Family room 1"),
        ("Blackburn central family hub", "Montague Street\nBlackburn", "BB2 1JT", "Garden room"),
    ]:
        page.get_by_role("row", name=re.compile(SATELLITE)).get_by_role("link", name="Sites and rooms").click()
        tally.checkpoint(page, f"sites-{room}")
        page.get_by_role("button", name="Add a site").click()
        tally.checkpoint(page, f"add-site-{room}")
        tally.choose(page, "Family hub")
        tally.fill(page, "Name of the site", site_name)
        tally.fill(page, "Address", address)
        tally.fill(page, "Postcode", postcode)
        tally.fill(page, "Opening hours", "Monday to Friday, 9am to 5pm")
        page.get_by_role("button", name="Add site").click()
        banner(page).to_contain_text(f"{site_name} is added.")
        tally.checkpoint(page, f"site-added-{room}")
        page.get_by_role("row", name=re.compile(site_name)).get_by_role("link", name="Rooms (0)").click()
        tally.at(page, f"Rooms at {site_name}", f"no-rooms-{room}")
        page.get_by_role("button", name="Add a room").click()
        tally.checkpoint(page, f"add-room-{room}")
        tally.fill(page, "Name of the room", room)
        page.get_by_role("button", name="Add room").click()
        heading(page).to_have_text(f"Rooms at {site_name}")
        expect(page.get_by_role("table")).to_contain_text(room)
        tally.checkpoint(page, f"rooms-{room}")
        # back to the teams
        page.get_by_role("banner").get_by_role("link", name="Set-up").click()
        page.get_by_role("link", name="Teams").click()
    assert Site.objects.filter(team=satellite).count() == 2
    assert Room.objects.filter(site__team=satellite).count() == 2

    # When she invites the team lead (of both teams) and two trainees (satellite)
    page.get_by_role("banner").get_by_role("link", name="Staff accounts").click()
    tally.checkpoint(page, "staff")
    for full_name, email, roles in [
        ("Lena Lead", "lena.lead@nhs.example", [f"Team lead, {HUB}", f"Team lead, {SATELLITE}"]),
        ("Tess Trainee", "tess.trainee@nhs.example", [f"Trainee parent-infant therapist, {SATELLITE}"]),
        ("Tom Trainee", "tom.trainee@nhs.example", [f"Trainee parent-infant therapist, {SATELLITE}"]),
    ]:
        page.get_by_role("link", name="Invite a person").click()
        heading(page).to_have_text("Invite a person")
        tally.checkpoint(page, f"invite-{email}")
        tally.fill(page, "Full name", full_name)
        tally.fill(page, "Email address", email)
        for role in roles:
            tally.choose(page, role)
        page.get_by_role("button", name="Send invitation").click()
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text(f"Invitation sent to {email}.")
        tally.checkpoint(page, f"invited-{email}")
        page.get_by_role("banner").get_by_role("link", name="Staff accounts").click()

    # When the team lead opens the link in her invitation, in her own browser
    lead = tally.watch(new_page())
    set_up_account(
        lead, tally, auth, set_up_link("lena.lead@nhs.example"), "lena.lead@nhs.example", LEAD_PASSWORD, "Lena"
    )

    # And sets the satellite's eligibility and targets
    lead.get_by_role("banner").get_by_role("link", name="Teams").click()
    tally.checkpoint(lead, "lead-teams")
    lead.get_by_role("link", name=SATELLITE).click()
    tally.checkpoint(lead, "lead-satellite")
    lead.get_by_role("link", name="Team settings").click()
    heading(lead).to_have_text("Team settings")
    tally.checkpoint(lead, "team-settings")
    lead.get_by_role("link", name="Change upper age").click()
    tally.checkpoint(lead, "team-rules")
    tally.fill(lead, "Upper age in years", "2")
    tally.choose(lead, "Yes", exact=True)
    tally.fill(lead, "From which week of pregnancy (optional)", "12")
    tally.fill(lead, "Triage target in working days", "5")
    tally.fill(lead, "First contact target in working days", "20")
    tally.fill(lead, "Default maximum weighted caseload", "12")
    lead.get_by_role("button", name="Save the rules").click()
    banner(lead).to_contain_text("The team's rules are changed. The change applies today.")
    tally.checkpoint(lead, "rules-saved")

    # And its catchment: the council (already chosen, the council area the team was set up to
    # serve), and the postcode district BB2
    lead.get_by_role("link", name="Change council areas").click()
    tally.checkpoint(lead, "catchment")
    expect(lead.get_by_label(COUNCIL)).to_be_checked()
    tally.fill(lead, "Postcode districts and sectors (optional)", "BB2")
    lead.get_by_role("button", name="Save the catchment").click()
    banner(lead).to_contain_text("The team's catchment is changed.")
    tally.checkpoint(lead, "catchment-saved")

    # And the capacity of the two trainees: one with a maximum of her own, one on the team default
    lead.get_by_role("link", name="Set each person's capacity").click()
    tally.checkpoint(lead, "caseloads")
    for name, hours, maximum in [("Tess Trainee", "22.5", "8"), ("Tom Trainee", "30", "")]:
        lead.get_by_role("link", name=f"Set capacity for {name}").click()
        heading(lead).to_have_text("Capacity")
        tally.checkpoint(lead, f"capacity-{name}")
        tally.fill(lead, "Contracted hours a week", hours)
        if maximum:
            tally.fill(lead, "Maximum weighted caseload", maximum)
        lead.get_by_role("button", name="Save capacity").click()
        banner(lead).to_contain_text(f"{name}'s capacity in {SATELLITE} is saved")
    expect(lead.get_by_role("main")).to_contain_text("12 (team default)")
    tally.checkpoint(lead, "capacities-saved")
    capacities = PractitionerCapacity.objects.filter(team=satellite).order_by("practitioner__full_name")
    assert [(c.contracted_hours, c.max_weighted_caseload) for c in capacities] == [
        (Decimal("22.5"), Decimal("8")),
        (Decimal("30"), None),
    ]

    # And the satellite's schedule of measures, from her home page
    lead.get_by_role("banner").get_by_role("link", name="Home", exact=True).click()
    lead.get_by_role("link", name=f"{SATELLITE} schedule of measures").click()
    heading(lead).to_have_text("Schedule of measures")
    tally.checkpoint(lead, "schedules")
    for measure, time_point, weeks in [
        ("Edinburgh Postnatal Depression Scale (EPDS)", "Assessment", "0"),
        ("Edinburgh Postnatal Depression Scale (EPDS)", "Discharge", ""),
    ]:
        lead.get_by_role("button", name="Add a measure").click()
        tally.checkpoint(lead, f"add-measure-{time_point}")
        tally.select(lead, "Measure", measure)
        tally.choose(lead, time_point, exact=True)
        if weeks:
            tally.fill(lead, "Weeks after the episode starts", weeks)
        lead.get_by_role("button", name="Add measure").click()
        banner(lead).to_contain_text("is added.")
    expect(lead.get_by_role("table")).to_contain_text("Discharge")
    tally.checkpoint(lead, "schedule-set")
    assert MeasureSchedule.objects.filter(team=satellite).count() == 2

    # The set-up itself (the administrator's and the team lead's part) is within 30 minutes' work
    set_up = (tally.visits, tally.fields, tally.characters, tally.minutes_for_a_person(enrolments=2))
    assert set_up[3] < SET_UP_TARGET_MINUTES, f"The set-up would take a person about {set_up[3]:.0f} minutes"

    # When a trainee opens her invitation, sets up her account and looks at her caseload
    tess = tally.watch(new_page())
    set_up_account(
        tess, tally, auth, set_up_link("tess.trainee@nhs.example"), "tess.trainee@nhs.example", TRAINEE_PASSWORD, "Tess"
    )
    tess.get_by_role("banner").get_by_role("link", name="Caseload").click()
    heading(tess).to_have_text("Your caseload")
    expect(tess.get_by_text("You have no families on your caseload at the moment.")).to_be_visible()
    tally.checkpoint(tess, "tess-caseload")

    # When a health visitor refers a family living in BB2 on the public form
    hv = tally.watch(new_page())
    refer_an_unborn_baby(hv, tally, postcode="BB2 3HH")
    heading(hv).to_have_text("Referral sent")
    expect(hv.get_by_role("main")).to_contain_text(f"The {SATELLITE} will look at the referral within 5 working days")
    tally.checkpoint(hv, "referral-sent")
    referral = Referral.objects.get()
    assert referral.team == satellite

    # Then the team lead sees it in the satellite's triage inbox
    lead.get_by_role("banner").get_by_role("link", name="Referrals").click()
    tally.checkpoint(lead, "referrals")
    expect(lead.get_by_role("main")).to_contain_text("1 referral waiting")
    lead.get_by_role("link", name=SATELLITE).click()  # a lead of two teams chooses the team
    heading(lead).to_have_text("Referrals waiting for triage")
    expect(lead.get_by_role("main")).to_contain_text(referral.reference)
    tally.checkpoint(lead, "inbox")

    assert Organisation.objects.count() == 3
    elapsed = time.monotonic() - started
    print(
        f"\nJourney: {tally.visits} pages visited ({tally.pages} checked with axe), "
        f"{tally.fields} fields filled in, {elapsed:.0f} seconds; the set-up by the administrator and the "
        f"team lead: {set_up[0]} pages, {set_up[1]} fields, {set_up[2]} characters typed, about "
        f"{set_up[3]:.0f} minutes for a person"
    )
    assert tally.visits <= MAX_VISITS, "More pages than before: is a step harder than it was?"
    assert tally.fields <= MAX_FIELDS, "More fields than before: is a step harder than it was?"
