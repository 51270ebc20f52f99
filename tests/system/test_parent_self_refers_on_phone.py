"""A mother refers herself and her 4-month-old from her phone (375 by 667 pixels): the same pages,
spoken to her, that fit a small screen; her own agreement ticked; the acknowledgement by the
text message she said is safe."""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.notifications.models import Message
from attune.organisations.tests.world import World
from attune.referrals.models import Referral

Check = Callable[[Page, str], None]
PHONE = {"width": 375, "height": 667}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def fits_the_screen(page: Page) -> None:
    """Nothing makes the page scroll sideways on a phone."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone's screen"


def test_parent_refers_herself_on_her_phone(page: Page, world: World, checkpoint: Check) -> None:
    def on_page(heading: str, step: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        fits_the_screen(page)
        checkpoint(page, step)

    # Given a mother with a phone, on the service's start page
    page.set_viewport_size(PHONE)
    page.goto("/refer")
    fits_the_screen(page)
    checkpoint(page, "start")

    # When she chooses to refer herself
    page.get_by_role("button", name="Refer yourself (for parents and carers)").click()

    # Then each page asks her one thing, in her own words
    on_page("What is your postcode?", "postcode")
    page.get_by_label("What is your postcode?").fill("FY1 4AB")
    continue_(page)

    on_page("Are you the baby's parent?", "are-you-the-parent")
    page.get_by_label("Yes").check()
    continue_(page)

    on_page("Has your baby been born?", "born")
    page.get_by_label("Yes").check()
    continue_(page)

    on_page("About your baby", "baby")
    born = timezone.localdate() - timedelta(days=122)
    page.get_by_label("First name").fill("Ava")
    page.get_by_label("Last name").fill("Hartley")
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    continue_(page)

    on_page("About you", "about-you")
    page.get_by_label("First name").fill("Jade")
    page.get_by_label("Last name").fill("Hartley")
    page.get_by_label("Mother", exact=True).check()
    page.get_by_role("group", name="Do you have parental responsibility for the baby?").get_by_label("Yes").check()
    continue_(page)

    on_page("How we can contact you", "contact")
    page.get_by_label("Phone number (optional)").fill("07700 900123")
    page.get_by_role("group", name=re.compile("Is it safe for us to send text messages")).get_by_label("Yes").check()
    page.get_by_label("Text message").check()
    continue_(page)

    on_page("Is there another parent or carer?", "another-carer")
    page.get_by_label("No").check()
    continue_(page)

    on_page("Your address", "address")
    page.get_by_label("Address line 1").fill("22 Promenade Court")
    page.get_by_label("Town or city").fill("Blackpool")
    continue_(page)

    on_page("Your language and ethnic group", "language")
    page.get_by_role("group", name="Do you need an interpreter?").get_by_label("No").check()
    page.get_by_label("Your ethnic group").select_option("Z")
    continue_(page)

    on_page("Your GP and other professionals", "professionals")
    continue_(page)

    on_page("Why would you like support?", "reason")
    page.get_by_label("Why would you like support?").fill(
        "Since Ava was born I have felt numb. She cries a lot and I do not feel I know what she needs."
    )
    continue_(page)

    on_page("What is making things harder for you and your baby?", "stresses")
    page.get_by_label("Very unsettled: crying, feeding or sleeping difficulties").check()
    page.get_by_label("Feeling low or anxious, or other mental health problems").check()
    continue_(page)

    on_page("Does your family have any of these?", "safeguarding")
    page.get_by_label("None of these").check()
    continue_(page)

    # When she sends it without ticking that she agrees
    on_page("Agreeing to the referral", "agreement")
    continue_(page)

    # Then she is asked to confirm it
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Confirm that you agree to the team contacting you and looking at your referral"
    )
    fits_the_screen(page)
    checkpoint(page, "agreement-error")
    page.get_by_label("I agree to the team contacting me and looking at my referral").check()
    continue_(page)

    # And she checks her answers, which fit her screen too
    on_page("Check your answers before sending your referral", "check")
    main = page.get_by_role("main")
    expect(main).to_contain_text("07700 900123")
    expect(main).not_to_contain_text("About you Your role")

    # When she sends it
    page.get_by_role("button", name="Send referral").click()

    # Then she sees her reference number and is told it has been texted to her
    on_page("Referral sent", "sent")
    referral = Referral.objects.get()
    expect(page.locator(".nhsuk-panel")).to_contain_text(referral.reference)
    expect(main).to_contain_text("We have sent a text message to 07700 900123")
    expect(main).to_contain_text("Someone from the Example hub team will look at your referral")

    # And the referral is hers, for the hub team, acknowledged by text
    assert referral.team == world.hub
    assert (referral.kind, referral.source) == ("self", "B1")
    infant = referral.family.infants.get()
    assert infant.date_of_birth == born
    message = Message.objects.get()
    assert (message.channel, message.to, message.template) == ("sms", "07700 900123", "referral_received_family")
