"""A practitioner sends a mother a PHQ-9 and GAD-7 link; she answers on her phone (375 by 667
pixels): confirms her baby's date of birth, answers one questionnaire a page, checks and sends
them, and is thanked. The answers wait for the practitioner; the link cannot be used again."""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.tests.factories import open_episode
from attune.families.models import FamilyAlert
from attune.notifications.models import Message
from attune.organisations.tests.world import World
from attune.outcomes.models import Administration, QuestionnaireLink

Check = Callable[[Page, str], None]
PHONE = {"width": 375, "height": 667}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def fits_the_screen(page: Page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone's screen"


def answer(page: Page, number: int, choice: str) -> None:
    page.get_by_role("group", name=re.compile(rf"^{number}\. ")).get_by_label(choice, exact=True).check()


def test_parent_completes_questionnaires_on_her_phone(
    page: Page,
    new_page: Callable[[], Page],
    world: World,
    practitioner: User,
    auth: object,
    checkpoint: Check,
) -> None:
    # Given a practitioner with a family on her caseload
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - timedelta(days=21))
    # Names no page could hold by chance (a made-up surname such as "Day" would).
    episode.carers.update(given_name="Oriabelle", family_name="Quillfeather")
    mum = episode.carers.get()
    baby = episode.infants.get()
    auth.sign_in(page, practitioner)  # type: ignore[attr-defined]

    # When she sends the mother a PHQ-9 and GAD-7 link
    page.goto(f"/episodes/{episode.pk}/questionnaire-links/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a questionnaire link")
    checkpoint(page, "send-form")
    page.get_by_label(re.compile(re.escape(mum.full_name))).check()
    page.get_by_label("Patient Health Questionnaire (PHQ-9)").check()
    page.get_by_label("Generalised Anxiety Disorder Assessment (GAD-7)").check()
    page.get_by_role("radio", name="Assessment").check()
    page.get_by_role("button", name="Send link").click()

    # Then she is told it went by text message
    expect(page.get_by_role("heading", level=1)).to_have_text("Link sent")
    expect(page.get_by_role("main")).to_contain_text("Text message to 07700 900123")
    checkpoint(page, "sent")

    # And the mother's text message carries the link
    message = Message.objects.get(template="questionnaire_link")
    found = re.search(r"https?://\S+/q/\S+", message.body)
    assert found is not None
    link_url = found.group(0)

    # When the mother opens it on her phone
    phone = new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(link_url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("What is your baby's date of birth?")
    expect(phone.get_by_role("main")).not_to_contain_text(mum.family_name)
    fits_the_screen(phone)
    checkpoint(phone, "date-of-birth")

    # And gives a wrong date first
    phone.get_by_label("Day").fill("2")
    phone.get_by_label("Month").fill("1")
    phone.get_by_label("Year").fill("2025")
    phone.get_by_role("button", name="Continue").click()
    expect(phone.locator(".nhsuk-error-summary")).to_contain_text(
        "The date of birth does not match. Check it and try again"
    )
    fits_the_screen(phone)
    checkpoint(phone, "date-of-birth-wrong")

    # Then the right one
    assert baby.date_of_birth is not None
    phone.get_by_label("Day").fill(str(baby.date_of_birth.day))
    phone.get_by_label("Month").fill(str(baby.date_of_birth.month))
    phone.get_by_label("Year").fill(str(baby.date_of_birth.year))
    phone.get_by_role("button", name="Continue").click()

    # She answers the PHQ-9, missing a question at first
    expect(phone.get_by_role("heading", level=1)).to_have_text("Patient Health Questionnaire (PHQ-9)")
    fits_the_screen(phone)
    checkpoint(phone, "phq9")
    for number in range(1, 10):
        if number != 4:
            answer(phone, number, "Several days")
    phone.get_by_role("button", name="Continue").click()
    expect(phone.locator(".nhsuk-error-summary")).to_contain_text("Answer question 4")
    checkpoint(phone, "phq9-missing")
    answer(phone, 4, "More than half the days")
    phone.get_by_role("button", name="Continue").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Generalised Anxiety Disorder Assessment (GAD-7)")
    fits_the_screen(phone)
    checkpoint(phone, "gad7")
    for number in range(1, 8):
        answer(phone, number, "Not at all")
    phone.get_by_role("button", name="Continue").click()

    # And checks her answers
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check your answers before sending them")
    expect(phone.get_by_role("main")).to_contain_text("More than half the days")
    fits_the_screen(phone)
    checkpoint(phone, "check")
    phone.get_by_role("button", name="Send answers").click()

    # Then she is thanked, shown no score, and (since she said she has had thoughts of being
    # better off dead on several days) told where to get help now
    expect(phone.get_by_role("heading", level=1)).to_have_text(re.compile("Thank you"))
    expect(phone.get_by_role("main")).to_contain_text("Your answers have been sent")
    expect(phone.get_by_role("main")).to_contain_text("Samaritans free on 116 123")
    expect(phone.get_by_role("main")).not_to_contain_text("10")
    fits_the_screen(phone)
    checkpoint(phone, "thanks")

    # And the answers wait for the practitioner to review
    stored = {a.instrument: float(a.total or 0) for a in Administration.objects.awaiting_review()}
    assert stored == {"PHQ9": 10.0, "GAD7": 0.0}
    assert QuestionnaireLink.objects.get().used_at is not None
    # The PHQ-9 item 9 answer raised an alert on the family, through record_administration
    assert FamilyAlert.objects.filter(family=episode.family, closed_at__isnull=True).count() == 1

    # When she opens the link again, it says it has been used
    phone.goto(link_url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("This link has already been used")
    fits_the_screen(phone)
    checkpoint(phone, "used")

    # And the practitioner sees the link answered and the answers to review
    page.goto(f"/episodes/{episode.pk}/questionnaire-links")
    expect(page.get_by_role("main")).to_contain_text("Answered")
    expect(page.get_by_role("main")).to_contain_text("Text message to 07700 900123")
    expect(page.get_by_role("link", name="Patient Health Questionnaire (PHQ-9)")).to_be_visible()
    checkpoint(page, "links")
