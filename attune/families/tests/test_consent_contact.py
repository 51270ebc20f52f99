"""Consent counts in how a parent is reached: a channel they refused or withdrew consent to is
never used, the next safe one is tried as for an unsafe phone, and when none is left the message
is withheld with the consent as its reason. Never asked means as before: the message goes."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from attune.accounts.models import User
from attune.care.reminders import TEMPLATE, queue_reminders
from attune.care.tests.factories import AppointmentFactory, open_episode
from attune.core.formatting import LONDON
from attune.core.testing.actors import acting
from attune.families.codes import ContactPreference
from attune.families.consent import record_consent, withdraw_consent
from attune.families.consent_models import ConsentDecision, ConsentHow, ConsentPurpose
from attune.families.contact import safe_route, safe_route_to
from attune.families.models import Carer, Family
from attune.families.tests.factories import CarerFactory, FamilyFactory
from attune.notifications.models import Channel, Message, MessageStatus
from attune.organisations.tests.world import World

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "07700 900123", "dani@example.com"


@pytest.fixture
def family(world: World) -> Family:
    return FamilyFactory(team=world.hub, address_line_1="88 Lindale Gardens", town="Blackpool", postcode="FY4 3RN")


@pytest.fixture
def mum(family: Family) -> Carer:
    return CarerFactory(family=family, given_name="Dani", family_name="Cartwright", phone=PHONE, email=EMAIL)


def _decide(user: User, mum: Carer, purpose: str, decision: str = ConsentDecision.GIVEN) -> None:
    record_consent(
        actor=acting(user), family=mum.family, person=mum, purpose=purpose, decision=decision, how=ConsentHow.SPOKEN
    )


def test_given_or_never_asked_the_text_goes_as_before(practitioner: User, mum: Carer) -> None:
    assert safe_route_to(mum).channel == Channel.SMS
    _decide(practitioner, mum, ConsentPurpose.CONTACT_TEXT)
    assert (safe_route_to(mum).channel, safe_route_to(mum).to) == (Channel.SMS, PHONE)


def test_refused_texts_fall_back_to_email(practitioner: User, mum: Carer) -> None:
    _decide(practitioner, mum, ConsentPurpose.CONTACT_TEXT, ConsentDecision.REFUSED)
    route = safe_route(mum.family)
    assert (route.channel, route.to) == (Channel.EMAIL, EMAIL)


def test_with_no_route_left_the_message_is_withheld_with_the_consent_as_the_reason(
    practitioner: User, mum: Carer
) -> None:
    mum.email = ""
    mum.save()
    with time_machine.travel(dt.datetime(2026, 12, 6, 10, 0, tzinfo=LONDON)):
        _decide(practitioner, mum, ConsentPurpose.CONTACT_TEXT)
        withdraw_consent(
            actor=acting(practitioner), consent=mum.consents.get(), how=ConsentHow.SPOKEN, reason="Shared phone"
        )
    route = safe_route_to(mum)
    assert route.channel is None
    assert route.withheld_reason == (
        "Consent to text messages was withdrawn on 6 December 2026: contact them another way"
    )


def test_email_and_letters_count_too(practitioner: User, mum: Carer) -> None:
    mum.contact_preference = ContactPreference.EMAIL
    mum.save()
    _decide(practitioner, mum, ConsentPurpose.CONTACT_EMAIL, ConsentDecision.REFUSED)
    _decide(practitioner, mum, ConsentPurpose.CONTACT_TEXT, ConsentDecision.REFUSED)
    today = timezone.localdate()
    assert safe_route_to(mum).withheld_reason == (
        f"Consent to email was refused on {today.day} {today:%B %Y}: contact them another way"
    )

    mum.contact_preference = ContactPreference.LETTER
    mum.save()
    assert safe_route_to(mum).channel == Channel.LETTER
    _decide(practitioner, mum, ConsentPurpose.CONTACT_LETTER, ConsentDecision.REFUSED)
    assert safe_route_to(mum).withheld_reason.startswith("Consent to letters was refused on")


def test_an_appointment_reminder_is_withheld_once_text_consent_is_withdrawn(world: World, practitioner: User) -> None:
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
    episode = open_episode(world.hub, practitioner, opened_at=now - dt.timedelta(days=60))
    carer = episode.family.carers.get()
    carer.email = ""
    carer.save()
    with time_machine.travel(now - dt.timedelta(days=1)):
        _decide(practitioner, carer, ConsentPurpose.CONTACT_TEXT)
        withdraw_consent(actor=acting(practitioner), consent=carer.consents.get(), how=ConsentHow.SPOKEN)
    starts = now + dt.timedelta(days=1)
    appointment = AppointmentFactory(
        episode=episode, practitioner=practitioner, starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
    )

    assert queue_reminders(now) == 1

    message = Message.objects.get(template=TEMPLATE, about_id=str(appointment.pk))
    assert (message.status, message.channel) == (MessageStatus.WITHHELD, "")
    assert message.withheld_reason == (
        "Consent to text messages was withdrawn on 30 November 2026: contact them another way"
    )
