"""How a family may be reached safely: the main contact's preference first, never a phone or inbox
marked unsafe, and a reason kept whenever a message must not be sent."""

import pytest

from attune.families.codes import ContactPreference, Relationship
from attune.families.contact import main_contact, safe_route
from attune.families.models import Family
from attune.families.tests.factories import CarerFactory, FamilyFactory
from attune.notifications.models import Channel

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "07700 900123", "dani@example.com"


@pytest.fixture
def family() -> Family:
    return FamilyFactory(address_line_1="88 Lindale Gardens", town="Blackpool", postcode="FY4 3RN")


def _mum(family: Family, **fields: object) -> None:
    defaults: dict[str, object] = {
        "given_name": "Danielle",
        "family_name": "Cartwright",
        "phone": PHONE,
        "email": EMAIL,
        "is_main_contact": True,
    }
    CarerFactory(family=family, **{**defaults, **fields})


@pytest.mark.parametrize(
    ("preference", "channel", "to"),
    [
        (ContactPreference.SMS, Channel.SMS, PHONE),
        (ContactPreference.EMAIL, Channel.EMAIL, EMAIL),
        (ContactPreference.LETTER, Channel.LETTER, "88 Lindale Gardens, Blackpool, FY4 3RN"),
    ],
)
def test_the_preferred_channel_is_used(family: Family, preference: str, channel: Channel, to: str) -> None:
    _mum(family, contact_preference=preference)
    route = safe_route(family)
    assert (route.channel, route.to, route.withheld_reason) == (channel, to, "")
    assert route.label == "Mother: Danielle Cartwright"


@pytest.mark.parametrize(
    ("preference", "missing", "channel"),
    [
        (ContactPreference.SMS, {"phone": ""}, Channel.EMAIL),  # then email
        (ContactPreference.SMS, {"phone": "", "email": ""}, None),  # never a letter unasked: withheld
        (ContactPreference.EMAIL, {"email": ""}, Channel.SMS),  # then a text
        (ContactPreference.LETTER, {"address": ""}, Channel.SMS),
    ],
)
def test_when_the_preference_is_impossible_the_next_is_tried_in_order(
    family: Family, preference: str, missing: dict[str, str], channel: Channel | None
) -> None:
    if "address" in missing:
        Family.objects.filter(pk=family.pk).update(address_line_1="")
        family.refresh_from_db()
    _mum(family, contact_preference=preference, **{k: v for k, v in missing.items() if k != "address"})
    assert safe_route(family).channel == channel


def test_an_unsafe_phone_is_never_used(family: Family) -> None:
    _mum(family, contact_preference=ContactPreference.SMS, phone_is_safe=False)
    route = safe_route(family)
    assert (route.channel, route.to) == (Channel.EMAIL, EMAIL)


def test_an_unsafe_inbox_is_never_used(family: Family) -> None:
    _mum(family, contact_preference=ContactPreference.EMAIL, email_is_safe=False)
    route = safe_route(family)
    assert (route.channel, route.to) == (Channel.SMS, PHONE)


def test_with_phone_and_inbox_unsafe_no_letter_is_sent_unasked(family: Family) -> None:
    """Post to the home address may be opened by anyone in the household: a letter goes only to
    someone who chose letters."""
    _mum(family, phone_is_safe=False, email_is_safe=False)
    route = safe_route(family)
    assert route.channel is None
    assert route.withheld_reason == "No safe way to send a message"


def test_no_safe_way_at_all_is_withheld_with_the_safe_contact_note(family: Family) -> None:
    Family.objects.filter(pk=family.pk).update(postcode="")
    family.refresh_from_db()
    _mum(family, phone_is_safe=False, email_is_safe=False, safe_contact_note="Contact through the health visitor")
    route = safe_route(family)
    assert route.channel is None
    assert route.to == ""
    assert route.withheld_reason == "No safe way to send a message (Contact through the health visitor)"


def test_a_letter_needs_both_an_address_line_and_a_postcode(family: Family) -> None:
    Family.objects.filter(pk=family.pk).update(postcode="")
    family.refresh_from_db()
    _mum(family, contact_preference=ContactPreference.LETTER, phone="", email="")
    route = safe_route(family)
    assert route.channel is None
    assert route.withheld_reason == "No safe way to send a message"


def test_do_not_contact_is_withheld_with_its_reason(family: Family) -> None:
    _mum(family, contact_preference=ContactPreference.NONE)
    route = safe_route(family)
    assert route.channel is None
    assert route.to == ""
    assert route.withheld_reason == "The family asked not to be contacted directly"


def test_a_family_preferring_a_phone_call_is_not_sent_a_message(family: Family) -> None:
    _mum(family, contact_preference=ContactPreference.PHONE)
    route = safe_route(family)
    assert route.channel is None
    assert route.withheld_reason == "The family prefers a phone call: phone them instead"


def test_phone_them_instead_is_never_said_of_an_unsafe_phone(family: Family) -> None:
    """A safe-contact instruction always wins: when the phone is marked unsafe, the outbox must not
    tell the team to phone, and it must pass on the instruction."""
    _mum(
        family,
        contact_preference=ContactPreference.PHONE,
        phone_is_safe=False,
        safe_contact_note="Partner checks her phone: contact through the health visitor",
    )
    route = safe_route(family)
    assert route.channel is None
    assert "phone them" not in route.withheld_reason
    assert "contact through the health visitor" in route.withheld_reason


def test_the_main_contact_is_the_one_reached(family: Family) -> None:
    CarerFactory(family=family, given_name="Ryan", relationship=Relationship.FATHER, is_main_contact=False)
    _mum(family, contact_preference=ContactPreference.NONE)
    main = main_contact(family)
    assert main is not None
    assert main.given_name == "Danielle"
    assert safe_route(family).withheld_reason == "The family asked not to be contacted directly"


def test_without_a_marked_main_contact_the_first_carer_is_used(family: Family) -> None:
    CarerFactory(family=family, given_name="First", is_main_contact=False, phone="07700 900001")
    CarerFactory(family=family, given_name="Second", is_main_contact=False, phone="07700 900002")
    main = main_contact(family)
    assert main is not None
    assert main.given_name == "First"
    assert safe_route(family).to == "07700 900001"


def test_a_family_with_no_carer_is_withheld(family: Family) -> None:
    route = safe_route(family)
    assert route.channel is None
    assert route.label == "The family"
    assert route.withheld_reason == "No parent or carer is recorded"
