"""A parent or carer refers themselves: the same information, addressed to them, no referrer
page, their agreement ticked, and the acknowledgement sent only by a route they said is safe."""

import pytest
from django.core.cache import cache
from django.test import Client

from attune.families.models import Carer
from attune.notifications.models import Message, MessageStatus
from attune.organisations.tests.world import World
from attune.referrals.models import Referral
from attune.referrals.tests.test_public_flow import SELF, fill_in, page_text, self_answers, send


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def test_a_parent_refers_herself(client: Client, world: World) -> None:
    response = send(client, SELF, self_answers())
    assert response["Location"] == f"{SELF}/sent"
    referral = Referral.objects.get()
    assert referral.team == world.hub
    assert (referral.kind, referral.source) == ("self", "B1")
    assert (referral.referrer_name, referral.referrer_role) == ("Jade Hartley", "Mother")
    # Her contact details live on her carer record only, with their safety answers.
    assert (referral.referrer_email, referral.referrer_phone) == ("", "")
    assert referral.consent_given
    assert referral.submitted["form"] == "self"
    carer = Carer.objects.get()
    assert (carer.email, carer.email_is_safe, carer.contact_preference) == ("jade@example.com", True, "email")


def test_someone_other_than_a_parent_refers_as_a_carer_or_relative(client: Client, world: World) -> None:
    answers = self_answers(**{"are-you-the-parent": {"is_parent": "no"}})
    answers["parent-or-carer"] = {**answers["parent-or-carer"], "relationship": "grandparent", "given_name": "Pat"}
    send(client, SELF, answers)
    referral = Referral.objects.get()
    assert referral.source == "B2"
    assert (referral.referrer_name, referral.referrer_role) == ("Pat Hartley", "Grandparent")


def test_there_is_no_referrer_page_for_a_parent(client: Client, world: World) -> None:
    assert client.get(f"{SELF}/about-you").status_code == 404
    assert fill_in(client, SELF, self_answers()) == f"{SELF}/check"
    text = page_text(client.get(f"{SELF}/check"))
    assert "Your role" not in text
    assert "You are the baby's parent Yes" in text
    assert "Your agreement You agree to the team contacting you and looking at your referral" not in text
    assert "Agreement You agree to the team contacting you and looking at your referral" in text


def test_the_acknowledgement_goes_to_the_parent_by_her_chosen_safe_route(client: Client, world: World) -> None:
    send(client, SELF, self_answers())
    message = Message.objects.get()
    assert message.template == "referral_received_family"
    assert (message.channel, message.to, message.status) == ("email", "jade@example.com", MessageStatus.QUEUED)
    assert message.recipient == "Mother: Jade Hartley"
    text = page_text(client.get(f"{SELF}/sent"))
    assert "We have sent an email to jade@example.com with your reference number" in text
    assert "Someone from the Example hub team will look at your referral within 5 working days" in text


def test_a_text_goes_to_a_phone_she_says_is_safe(client: Client, world: World) -> None:
    contact = {"phone": "07700 900123", "phone_is_safe": "yes", "contact_preference": "sms", "safe_contact_note": ""}
    send(client, SELF, self_answers(contact=contact))
    message = Message.objects.get()
    assert (message.channel, message.to, message.status) == ("sms", "07700 900123", MessageStatus.QUEUED)
    assert "We have sent a text message to 07700 900123" in page_text(client.get(f"{SELF}/sent"))


def test_nothing_is_sent_when_texts_are_unsafe_and_there_is_no_email(client: Client, world: World) -> None:
    contact = {
        "phone": "07700 900123",
        "phone_is_safe": "no",
        "email": "",
        "contact_preference": "phone",
        "safe_contact_note": "Only call after 6pm. My partner checks my messages.",
    }
    send(client, SELF, self_answers(contact=contact))
    message = Message.objects.get()
    assert message.status == MessageStatus.WITHHELD
    assert message.to == ""
    assert message.withheld_reason
    carer = Carer.objects.get()
    assert (carer.phone_is_safe, carer.safe_contact_note) == (
        False,
        "Only call after 6pm. My partner checks my messages.",
    )
    text = page_text(client.get(f"{SELF}/sent"))
    assert "We have not sent you a message about this referral" in text
    assert "07700 900123" not in text


def test_texts_cannot_be_chosen_for_a_phone_she_says_is_unsafe(client: Client, world: World) -> None:
    contact = {"phone": "07700 900123", "phone_is_safe": "no", "contact_preference": "sms"}
    answers = self_answers(contact=contact)
    response = client.get(SELF)
    location = response["Location"]
    while not location.endswith("/contact"):
        location = client.post(location, answers[location.rsplit("/", 1)[-1]])["Location"]
    response = client.post(location, contact)
    assert response.status_code == 200
    assert "It is not safe to send text messages to this phone. Select another way to contact you" in page_text(
        response
    )


def test_her_agreement_must_be_ticked(client: Client, world: World) -> None:
    fill_in(client, SELF, self_answers())
    response = client.post(f"{SELF}/agreement?return=check", {})
    assert "Confirm that you agree to the team contacting you and looking at your referral" in page_text(response)
    assert client.post(f"{SELF}/check")["Location"] == f"{SELF}/agreement?return=check"
    assert Referral.objects.count() == 0


def test_the_pages_speak_to_the_parent(client: Client, world: World) -> None:
    fill_in(client, SELF, self_answers())
    pages = {slug: page_text(client.get(f"{SELF}/{slug}")) for slug in ("postcode", "born", "baby", "parent-or-carer")}
    assert "What is your postcode?" in pages["postcode"]
    assert "Has your baby been born?" in pages["born"]
    assert "About your baby" in pages["baby"]
    assert "About you" in pages["parent-or-carer"]
    assert "What is your relationship to the baby?" in pages["parent-or-carer"]
    assert "Refer yourself" in pages["postcode"]
    # Her own details may be filled in by her browser; a professional's pages ask it not to.
    html = client.get(f"{SELF}/contact").content.decode()
    assert 'autocomplete="tel"' in html
    assert 'type="tel"' in html
