"""A practitioner records a mother's consent to text messages (and to sharing with her GP, and
her refusal of video recording), sees it on the family page, then withdraws the consent to texts
when the mother asks. The next reminder run keeps her appointment reminder unsent, with the
consent as the reason, and her consent page says so. Then a mother gives her consent on her own
phone, through a link her practitioner sent asking for it."""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from attune.accounts.models import User
from attune.care.reminders import TEMPLATE, queue_reminders
from attune.care.tests.factories import AppointmentFactory, open_episode
from attune.core.formatting import date_long
from attune.families.codes import ParentalResponsibility
from attune.families.consent import current_consents
from attune.families.consent_models import Consent, ConsentPurpose
from attune.notifications.models import Message, MessageStatus
from attune.organisations.tests.world import World

Check = Callable[[Page, str], None]
PHONE = {"width": 375, "height": 667}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def fits_the_screen(page: Page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def record(page: Page, purpose: str, decision: str, how: str) -> None:
    page.get_by_role("radio", name=purpose, exact=True).check()
    page.get_by_role("radio", name=decision, exact=True).check()
    page.get_by_role("radio", name=how, exact=True).check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)


def test_consent_to_texts_is_recorded_then_withdrawn_and_reminders_stop(
    page: Page, world: World, practitioner: User, auth: object, checkpoint: Check
) -> None:
    # Given a practitioner with a mother on her caseload, reached by text message only
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - timedelta(days=21))
    episode.carers.update(
        given_name="Oriabelle",
        family_name="Quillfeather",
        email="",
        parental_responsibility=ParentalResponsibility.YES,
    )
    mum = episode.carers.get()
    family = episode.family
    auth.sign_in(page, practitioner)  # type: ignore[attr-defined]

    # When she opens the mother's consent page from the family page
    page.goto(f"/families/{family.pk}")
    expect(page.get_by_role("heading", name="Consent and information sharing")).to_be_visible()
    checkpoint(page, "family-before")
    page.get_by_role("link", name="Oriabelle Quillfeather (mother)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Consent and information sharing: Oriabelle Quillfeather (mother)"
    )
    checkpoint(page, "consent-page")

    # And records a decision without saying what it was about
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select what the decision is about")
    checkpoint(page, "consent-errors")

    # Then records her consent to texts, to sharing with her GP, and her refusal of video
    record(page, "Contact by text message", "They gave consent", "Spoken")
    expect(page.locator(".nhsuk-notification-banner--success, .nhsuk-notification-banner")).to_contain_text(
        "Decision recorded: Contact by text message, given."
    )
    record(page, "Share with their GP", "They gave consent", "Written, for example a signed form")
    record(page, "Video recording of sessions", "They refused", "Spoken")
    current = page.get_by_role("table", name=re.compile("has decided about each purpose"))
    expect(current.get_by_role("row", name=re.compile("Contact by text message"))).to_contain_text("Given")
    expect(current.get_by_role("row", name=re.compile("Video recording of sessions"))).to_contain_text("Refused")
    checkpoint(page, "consent-recorded")

    # And sees them on the family page
    page.goto(f"/families/{family.pk}")
    section = page.get_by_role("table", name=re.compile("What each person has agreed to now"))
    mother = section.get_by_role("row", name=re.compile("Oriabelle"))
    expect(mother).to_contain_text("Contact by text message")
    expect(mother).to_contain_text("Share with their GP")
    expect(mother).to_contain_text("Video recording of sessions (refused)")
    checkpoint(page, "family-after")

    # When the mother asks for no more texts, and the practitioner withdraws that consent
    page.get_by_role("link", name="Oriabelle Quillfeather (mother)").click()
    page.get_by_role("link", name="Withdraw consent: Contact by text message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw consent")
    checkpoint(page, "withdraw-confirm")
    page.get_by_role("button", name="Withdraw consent").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select how they withdrew consent")
    page.get_by_role("radio", name="Spoken", exact=True).check()
    page.get_by_label("Reason (optional)").fill("Her partner reads her texts")
    page.get_by_role("button", name="Withdraw consent").click()
    expect(page.get_by_role("main")).to_contain_text("Consent withdrawn: Contact by text message.")
    today = date_long(timezone.now())
    reason = f"Consent to text messages was withdrawn on {today}: contact them another way"
    expect(page.get_by_role("main")).to_contain_text(f"Messages are not sent: {reason}")
    checkpoint(page, "withdrawn")

    # And the reminder run comes round for her appointment tomorrow
    starts = timezone.now() + timedelta(hours=30)
    appointment = AppointmentFactory(
        episode=episode, practitioner=practitioner, starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    assert queue_reminders(now=timezone.now()) == 1

    # Then the reminder is kept unsent, with the consent as the reason
    message = Message.objects.get(template=TEMPLATE, about_id=str(appointment.pk))
    assert (message.status, message.withheld_reason) == (MessageStatus.WITHHELD, reason)
    # And her consent page tells the team to contact her another way
    page.reload()
    expect(page.get_by_role("main")).to_contain_text(reason)
    history = page.get_by_role("table", name=re.compile("Every decision recorded for"))
    expect(history).to_contain_text("Her partner reads her texts")
    checkpoint(page, "after-reminders")

    # And the pages fit a 320 pixel screen
    page.set_viewport_size({"width": 320, "height": 640})
    for url in [page.url, f"/families/{family.pk}"]:
        page.goto(url)
        fits_the_screen(page)
    assert current_consents([mum])[(str(mum.pk), ConsentPurpose.CONTACT_TEXT)].status == "Withdrawn"


def test_parent_gives_consent_on_her_phone(
    page: Page,
    new_page: Callable[[], Page],
    world: World,
    practitioner: User,
    auth: object,
    checkpoint: Check,
) -> None:
    # Given a mother with parental responsibility, on the practitioner's caseload
    episode = open_episode(world.hub, practitioner, opened_at=timezone.now() - timedelta(days=21))
    episode.carers.update(
        given_name="Oriabelle", family_name="Quillfeather", parental_responsibility=ParentalResponsibility.YES
    )
    mum, baby = episode.carers.get(), episode.infants.get()
    auth.sign_in(page, practitioner)  # type: ignore[attr-defined]

    # When the practitioner sends her a link asking only for her consent
    page.goto(f"/episodes/{episode.pk}/questionnaire-links/new")
    page.get_by_label(re.compile(re.escape(mum.full_name))).check()
    page.get_by_label("Ask them to give or review their consent").check()
    checkpoint(page, "send-form")
    page.get_by_role("button", name="Send link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Link sent")
    expect(page.get_by_role("main")).to_contain_text("also asked to give or review their consent")
    checkpoint(page, "sent")
    found = re.search(r"https?://\S+/q/\S+", Message.objects.get(template="questionnaire_link").body)
    assert found is not None

    # And she opens it on her phone and confirms her baby's date of birth
    phone = new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(found.group(0))
    expect(phone.get_by_role("main")).to_contain_text("check what you have agreed to")
    checkpoint(phone, "date-of-birth")
    assert baby.date_of_birth is not None
    phone.get_by_label("Day").fill(str(baby.date_of_birth.day))
    phone.get_by_label("Month").fill(str(baby.date_of_birth.month))
    phone.get_by_label("Year").fill(str(baby.date_of_birth.year))
    phone.get_by_role("button", name="Continue").click()

    # Then she sees her choices, and her baby's, in plain words
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your choices about your care and information")
    expect(phone.get_by_role("heading", name="About your baby")).to_be_visible()
    expect(phone.get_by_role("main")).not_to_contain_text("Quillfeather")
    fits_the_screen(phone)
    checkpoint(phone, "consent")

    # When she agrees to texts and to her baby's sessions being recorded, but not to research
    texts = "Can we send you text messages, such as appointment reminders?"
    phone.get_by_role("group", name=texts).get_by_label("Yes", exact=True).check()
    phone.get_by_role("group", name="Can we video record your baby in sessions?").get_by_label(
        "Yes", exact=True
    ).check()
    phone.get_by_role("group", name="Can we use information about you in research?").get_by_label(
        "No", exact=True
    ).check()
    phone.get_by_role("button", name="Save my choices").click()

    # Then she is thanked, and her choices are recorded as given on her own phone
    expect(phone.get_by_role("main")).to_contain_text("Your choices have been saved")
    checkpoint(phone, "thanks")
    decisions = current_consents([mum, baby])
    assert decisions[(str(mum.pk), ConsentPurpose.CONTACT_TEXT)].how == "own_phone"
    assert decisions[(str(mum.pk), ConsentPurpose.RESEARCH)].status == "Refused"
    assert decisions[(str(baby.pk), ConsentPurpose.VIDEO_RECORDING)].given_by == mum
    assert Consent.objects.count() == 3

    # And the practitioner sees them on the mother's consent page
    page.goto(f"/families/{episode.family_id}/consent/{mum.pk}")
    expect(page.get_by_role("main")).to_contain_text("On the parent's own phone, recorded by the parent")
    checkpoint(page, "practitioner-sees")
