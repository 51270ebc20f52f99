"""A coordinator in the satellite team triages the team's inbox: accepts one referral as urgent
and signposts the other, with a letter to print, until nothing is waiting. A colleague decides
on the second referral while she is typing, so she is told, keeps what she typed, looks again and
decides. Each decision has its own page, so nothing is revealed under a radio and every page
passes axe as it is."""

import re
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.accounts.tests.factories import UserFactory
from attune.core.clocks import add_months
from attune.core.formatting import date_long
from attune.families.codes import Relationship
from attune.families.services import NewCarer, NewFamily, NewInfant
from attune.notifications.models import Message
from attune.organisations.roles import Role
from attune.organisations.tests.factories import MembershipFactory
from attune.organisations.tests.world import World
from attune.referrals.models import Referral
from attune.referrals.services import Intake, Referrer, submit_referral

Check = Callable[[Page, str], None]


def refer(world: World, *, baby: str, mother: str, born: date | None, due: date | None = None) -> Referral:
    """A health visitor's referral to the satellite team, as the public form sends it."""
    given, family_name = mother.split()
    return submit_referral(
        intake=Intake(
            kind="professional",
            source="A2",
            referrer=Referrer(
                name="Jo Bloggs",
                role="Health visitor",
                organisation="Example Community Health",
                email="jo@example.nhs.uk",
            ),
            family=NewFamily(
                team=world.satellite,
                infants=[
                    NewInfant(given_name=baby, family_name=family_name, date_of_birth=born, expected_due_date=due)
                ],
                carers=[
                    NewCarer(
                        given_name=given,
                        family_name=family_name,
                        relationship=Relationship.MOTHER,
                        email=f"{given.lower()}@example.org",
                        contact_preference="email",
                    )
                ],
                address_line_1="1 Mill Lane",
                town="Blackburn",
                postcode="BB1 7DJ",
                local_authority=world.satellite_area,
            ),
            reason="Mum feels low and finds it hard to feel close to her baby.",
            consent_given=True,
            stresses=["parental_mental_health", "bonding"],
        )
    )


def test_coordinator_triages_the_satellite_inbox(
    page: Page, new_page: Callable[[], Page], world: World, auth, checkpoint: Check
) -> None:
    # Given two referrals waiting in the satellite team's inbox
    today = timezone.localdate()
    first = refer(world, baby="Ava", mother="Jade Hughes", born=add_months(today, -6))
    due = today + timedelta(weeks=12)
    second = refer(world, baby="", mother="Mia Patel", born=None, due=due)
    # And a coordinator in the satellite team
    coordinator: User = UserFactory(full_name="Sally Coordinator")
    MembershipFactory(user=coordinator, team=world.satellite, role=Role.COORDINATOR)

    # When she signs in
    auth.sign_in(page, coordinator)

    # Then her home page shows the team's inbox and how many are waiting
    referrals = page.get_by_role("region", name="Referrals waiting for triage")
    expect(referrals).to_contain_text("Example satellite team")
    expect(referrals).to_contain_text("2 referrals waiting, 0 over target")
    checkpoint(page, "home")

    # When she opens Referrals
    page.get_by_role("banner").get_by_role("link", name="Referrals").click()

    # Then she is in her only team's inbox, oldest first, with the clock on each
    expect(page).to_have_url(re.compile(rf"/teams/{world.satellite.pk}/referrals$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals waiting for triage")
    inbox = page.get_by_role("table", name="Referrals waiting for triage, oldest first")
    rows = inbox.get_by_role("row")
    expect(rows).to_have_count(3)  # the header and two referrals
    expect(rows.nth(1)).to_contain_text(first.reference)
    expect(rows.nth(1)).to_contain_text("0 working days")
    expect(rows.nth(1)).to_contain_text("Ava Hughes")
    expect(rows.nth(2)).to_contain_text(f"Due {date_long(due)}")
    expect(rows.nth(2)).to_contain_text("First 1001 days")
    checkpoint(page, "inbox")

    # When she opens the first referral
    inbox.get_by_role("link", name=first.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Referral {first.reference}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waiting for triage")
    expect(page.get_by_text("Within criteria")).to_be_visible()
    # Then she can choose each decision the referral is open to
    decide = page.get_by_role("list").filter(has=page.get_by_role("link", name="Decline", exact=True))
    expect(decide.get_by_role("link")).to_have_text(
        [
            "Accept to the waiting list",
            "Signpost to another service",
            "Decline",
            "Ask the referrer for more information",
        ]
    )
    checkpoint(page, "referral")

    # When she chooses to accept it
    page.get_by_role("link", name="Accept to the waiting list").click()

    # Then she is on a page for accepting only, with the referral's summary at the top
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept to the waiting list")
    about = page.locator(".nhsuk-summary-list")
    expect(about.get_by_role("link", name=first.reference)).to_be_visible()
    expect(about).to_contain_text("Ava Hughes")
    expect(about).to_contain_text("Jade Hughes (mother)")
    checkpoint(page, "accept")

    # When she chooses the level of need "disturbance" but forgets the priority
    page.get_by_label("Disturbance: the relationship is disturbed").check()
    page.get_by_role("button", name="Accept referral").click()

    # Then she is asked for the priority, and the level of need she chose is still chosen
    expect(page).to_have_title(re.compile(r"^Error: Accept to the waiting list"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text("Select the priority")
    expect(page.get_by_label("Disturbance: the relationship is disturbed")).to_be_checked()
    checkpoint(page, "accept-without-priority")

    # When she chooses urgent and saves
    summary.get_by_role("link", name="Select the priority").click()
    page.get_by_label("Urgent").check()
    page.get_by_role("button", name="Accept referral").click()

    # Then the referral is accepted, urgent, and there is nothing left to decide
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"{first.reference} is accepted to the waiting list, priority urgent"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accepted to the waiting list")
    expect(page.get_by_role("heading", name="Decide")).to_have_count(0)
    expect(page.get_by_role("link", name="Accept to the waiting list")).to_have_count(0)
    decision = page.locator(".nhsuk-summary-list").first
    expect(decision).to_contain_text("Disturbance: the relationship is disturbed")
    expect(decision).to_contain_text("Urgent")
    history = page.get_by_role("table", name="What has happened to this referral, newest first")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Sally Coordinator")
    messages = page.get_by_role("table", name="Emails, texts and letters about this referral")
    expect(messages).to_contain_text("Referral accepted")
    checkpoint(page, "accepted")

    # When she goes back to the inbox and opens the other referral
    page.get_by_role("link", name="Referrals waiting for triage").click()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)
    page.get_by_role("link", name=second.reference).click()

    # And signposts it to another service, with a note for the family
    page.get_by_role("link", name="Signpost to another service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signpost to another service")
    page.get_by_label("Stress: pressures on the relationship, baby not yet distressed").check()
    page.get_by_label("Which service are you signposting the family to?").fill("Blackburn family hub baby group")
    page.get_by_label("What should the family and referrer know? (optional)").fill(
        "The group meets on Tuesdays at 10am at the family hub."
    )
    checkpoint(page, "signposting")

    # But meanwhile a colleague opens the same referral and asks the referrer for more information
    colleague: User = UserFactory(full_name="Pat Colleague")
    MembershipFactory(user=colleague, team=world.satellite, role=Role.COORDINATOR)
    other = new_page()
    auth.sign_in(other, colleague)
    other.goto(f"/referrals/{second.pk}")
    other.get_by_role("link", name="Ask the referrer for more information").click()
    other.get_by_label("What information do you need from the referrer?").fill("Which GP practice is Mia with?")
    checkpoint(other, "colleague-asks")
    other.get_by_role("button", name="Send request").click()
    expect(other.get_by_role("heading", level=1)).to_contain_text("Waiting for more information")

    # When she saves her decision
    page.get_by_role("button", name="Signpost referral").click()

    # Then she is told who decided what while she was deciding, and keeps what she typed
    expect(page).to_have_title(re.compile(r"^Error: Signpost to another service"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text(
        re.compile(r"Pat Colleague asked the referrer for more information at .* while you were deciding\.")
    )
    expect(page.get_by_label("Which service are you signposting the family to?")).to_have_value(
        "Blackburn family hub baby group"
    )
    checkpoint(page, "signposting-after-colleague")

    # When she goes back to the referral to see what changed
    summary.get_by_role("link", name="See what changed on the referral").click()

    # Then she sees the question asked, and can still decide without waiting for the answer
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waiting for more information")
    expect(page.get_by_text("Which GP practice is Mia with?").first).to_be_visible()
    expect(page.get_by_role("heading", name="Or decide without waiting")).to_be_visible()
    expect(page.get_by_role("link", name="Ask the referrer for more information")).to_have_count(0)
    checkpoint(page, "waiting-for-information")

    # When she signposts it after all
    page.get_by_role("link", name="Signpost to another service").click()
    page.get_by_label("Stress: pressures on the relationship, baby not yet distressed").check()
    page.get_by_label("Which service are you signposting the family to?").fill("Blackburn family hub baby group")
    page.get_by_label("What should the family and referrer know? (optional)").fill(
        "The group meets on Tuesdays at 10am at the family hub."
    )
    page.get_by_role("button", name="Signpost referral").click()

    # Then it is signposted, and a letter is ready to print
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"{second.reference} is signposted to Blackburn family hub baby group"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signposted to another service")
    checkpoint(page, "signposted")
    page.get_by_role("link", name="Signposting letter to print").click()
    expect(page.get_by_text("Dear Mia Patel,")).to_be_visible()
    expect(page.get_by_text("We think Blackburn family hub baby group is the best service")).to_be_visible()
    expect(page.get_by_text("The group meets on Tuesdays at 10am at the family hub.")).to_be_visible()
    checkpoint(page, "letter")

    # And the inbox is empty
    page.get_by_role("link", name="Back to the referral").click()
    page.get_by_role("link", name="Referrals waiting for triage").click()
    expect(page.get_by_text("There are no referrals waiting for triage.")).to_be_visible()
    checkpoint(page, "empty-inbox")

    # And the referrer and the families were told
    for referral, template in ((first, "referral_accepted"), (second, "referral_signposted")):
        sent = Message.objects.filter(about_id=str(referral.pk), template__startswith=template)
        assert sorted(sent.values_list("template", flat=True)) == [f"{template}_family", f"{template}_referrer"]
