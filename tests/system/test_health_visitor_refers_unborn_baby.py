"""A health visitor refers an unborn baby through the public form, without an account: one
question or topic per page, a mistake put right on the way, one answer changed from the
check-your-answers page, and a reference number at the end. The referral waits for triage in
the satellite team, whose area the family's postcode is in."""

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.notifications.models import Message
from attune.organisations.tests.world import World
from attune.referrals.models import Referral

Check = Callable[[Page, str], None]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def fill_date(page: Page, day: date) -> None:
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def test_health_visitor_refers_an_unborn_baby(page: Page, world: World, checkpoint: Check) -> None:
    # Given a health visitor on the service's start page, not signed in to anything
    page.goto("/refer")
    expect(page.get_by_role("heading", level=1)).to_contain_text("parent-infant relationship support")
    expect(page.get_by_role("main")).to_contain_text("the Example satellite team covers Mill Town Council")
    checkpoint(page, "start")

    # When she starts a referral for a family
    page.get_by_role("button", name="Refer a family (for professionals)").click()

    # Then she is asked for the family's postcode first, with a way back to the start
    expect(page).to_have_url(re.compile(r"/refer/professional/postcode$"))
    expect(page.get_by_role("link", name="Back")).to_have_attribute("href", "/refer")
    checkpoint(page, "postcode")
    page.get_by_label("What is the family's postcode?").fill("BB1 7DJ")
    continue_(page)

    # When she says the baby is not born yet
    expect(page.get_by_role("heading", level=1)).to_have_text("Has the baby been born?")
    checkpoint(page, "born")
    page.get_by_label("No, not yet").check()
    continue_(page)

    # And types a due date two years away by mistake
    expect(page.get_by_role("heading", level=1)).to_have_text("About the baby")
    checkpoint(page, "unborn-baby")
    today = timezone.localdate()
    fill_date(page, today + timedelta(days=730))
    page.get_by_label("Baby's last name (optional)").fill("Ahmed")
    continue_(page)

    # Then she is told what is wrong, and what she typed is still there
    expect(page).to_have_title(re.compile(r"^Error: About the baby"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("The due date must be within 10 months of today")
    expect(page.get_by_label("Baby's last name (optional)")).to_have_value("Ahmed")
    checkpoint(page, "due-date-error")

    # When she puts it right: due in about three months
    due = today + timedelta(days=91)
    fill_date(page, due)
    continue_(page)

    # Then she goes on to the parent's details
    expect(page.get_by_role("heading", level=1)).to_have_text("About the baby's main parent or carer")
    checkpoint(page, "parent")
    page.get_by_label("First name").fill("Amira")
    page.get_by_label("Last name").fill("Ahmed")
    page.get_by_label("Mother", exact=True).check()
    page.get_by_role("group", name="Do they have parental responsibility for the baby?").get_by_label("Yes").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("How to contact the main parent or carer")
    checkpoint(page, "contact")
    page.get_by_label("Phone number (optional)").fill("07700 900461")
    page.get_by_role("group", name=re.compile("Is it safe to send text messages")).get_by_label("Yes").check()
    page.get_by_label("Text message").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Is there another parent or carer?")
    checkpoint(page, "another-carer")
    page.get_by_label("No").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("The family's address")
    expect(page.get_by_role("main")).to_contain_text("BB1 7DJ")
    checkpoint(page, "address")
    page.get_by_label("Address line 1").fill("14 Larkhill Street")
    page.get_by_label("Town or city").fill("Blackburn")
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("The family's language and ethnic group")
    checkpoint(page, "language")
    page.get_by_label("Which language does the family prefer to use? (optional)").fill("Urdu")
    page.get_by_role("group", name="Does the family need an interpreter?").get_by_label("Yes").check()
    page.get_by_label("The main parent or carer's ethnic group").select_option("J")
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("The family's GP and other professionals")
    checkpoint(page, "professionals")
    page.get_by_label("GP surgery (optional)").fill("Larkhill Health Centre")
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Why are you referring this family?")
    checkpoint(page, "reason")
    page.get_by_label("Why are you referring this family?").fill(
        "Amira had a very frightening first birth and is anxious about bonding with this baby."
    )
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("What is putting stress on the relationship")
    checkpoint(page, "stresses")
    page.get_by_label("Traumatic pregnancy or birth").check()
    page.get_by_label("Isolation or little support").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("What safeguarding involvement do you know of?")
    checkpoint(page, "safeguarding")
    page.get_by_label("None known").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    checkpoint(page, "about-you")
    page.get_by_label("Full name").fill("Sarah Collins")
    page.get_by_label("Health visitor").check()
    page.get_by_label("Organisation").fill("Blackburn with Darwen 0-19 service")
    page.get_by_label("Work email address").fill("sarah.collins@example.nhs.uk")
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Has the family agreed to this referral?")
    checkpoint(page, "agreement")
    page.get_by_label("Yes").check()
    continue_(page)

    # Then she sees everything she said, to check
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your referral")
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"{due.day} {due:%B %Y}")
    expect(main).to_contain_text("07700 900461")
    checkpoint(page, "check")

    # When she changes the parent's phone number from there
    page.get_by_role("link", name="Change phone number (Main parent or carer)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How to contact the main parent or carer")
    expect(page.get_by_label("Phone number (optional)")).to_have_value("07700 900461")
    expect(page.get_by_role("link", name="Back")).to_have_attribute("href", "/refer/professional/check#answers-contact")
    checkpoint(page, "change-phone")
    page.get_by_label("Phone number (optional)").fill("07700 900462")
    continue_(page)

    # Then she is back on the check page, with the new number
    expect(page).to_have_url(re.compile(r"/refer/professional/check#answers-contact$"))
    expect(main).to_contain_text("07700 900462")
    expect(main).not_to_contain_text("07700 900461")

    # When she sends it
    page.get_by_role("button", name="Send referral").click()

    # Then she sees the reference number and what happens next
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral sent")
    referral = Referral.objects.get()
    expect(page.locator(".nhsuk-panel")).to_contain_text(referral.reference)
    expect(main).to_contain_text("The Example satellite team will look at the referral within 5 working days")
    expect(main).to_contain_text("sarah.collins@example.nhs.uk")
    checkpoint(page, "sent")

    # And the referral waits for triage in the satellite team, for an unborn baby
    assert referral.team == world.satellite
    assert (referral.kind, referral.source) == ("professional", "A2")
    infant = referral.family.infants.get()
    assert (infant.date_of_birth, infant.expected_due_date) == (None, due)
    assert referral.family.carers.get().phone == "07700 900462"
    assert referral.family.interpreter_needed
    assert Message.objects.get().to == "sarah.collins@example.nhs.uk"

    # And going back does not send it again: the answers have gone
    page.go_back()
    page.goto("/refer/professional/check")
    expect(page).to_have_url(re.compile(r"/refer/professional/sent$"))
    assert Referral.objects.count() == 1
