"""How a family may be reached safely. A safe-contact instruction always wins over convenience:
a phone or inbox marked unsafe is never used, and "do not contact" means the message is kept,
unsent, with the reason, so the team knows to make contact another way."""

from attune.families.codes import ContactPreference
from attune.families.models import Carer, Family
from attune.notifications.models import Channel
from attune.notifications.services import Recipient


def _route(carer: Carer, family: Family, channel: str) -> Recipient | None:
    label = f"{carer.get_relationship_display()}: {carer.full_name}"
    if channel == ContactPreference.SMS and carer.phone and carer.phone_is_safe:
        return Recipient(label, Channel.SMS, carer.phone)
    if channel == ContactPreference.EMAIL and carer.email and carer.email_is_safe:
        return Recipient(label, Channel.EMAIL, carer.email)
    if channel == ContactPreference.LETTER and family.address_line_1 and family.postcode:
        return Recipient(label, Channel.LETTER, family.address)
    return None


def main_contact(family: Family) -> Carer | None:
    carers = list(family.carers.all())
    return next((c for c in carers if c.is_main_contact), carers[0] if carers else None)


def safe_route(family: Family) -> Recipient:
    carer = main_contact(family)
    if carer is None:
        return Recipient("The family", None, withheld_reason="No parent or carer is recorded")
    return safe_route_to(carer)


def safe_route_to(carer: Carer) -> Recipient:
    """How to reach this parent or carer themselves (a questionnaire meant for them, not for
    whoever is the family's main contact), by the same rules."""
    family = carer.family
    label = f"{carer.get_relationship_display()}: {carer.full_name}"
    preference = carer.contact_preference
    if preference == ContactPreference.NONE:
        return Recipient(label, None, withheld_reason="The family asked not to be contacted directly")
    note = f" ({carer.safe_contact_note})" if carer.safe_contact_note else ""
    if preference == ContactPreference.PHONE:
        # They asked for calls, not messages: nothing automated goes out either way.
        if carer.phone and carer.phone_is_safe:
            return Recipient(label, None, withheld_reason="The family prefers a phone call: phone them instead")
        return Recipient(label, None, withheld_reason=f"Their phone is not safe to use{note}: contact them another way")
    # A letter goes only to someone who asked for letters: post to the home address is never a
    # fallback, since others in the household may open it.
    fallbacks = (ContactPreference.SMS, ContactPreference.EMAIL)
    order = [preference, *[channel for channel in fallbacks if channel != preference]]
    for channel in order:
        route = _route(carer, family, channel)
        if route is not None:
            return route
    return Recipient(label, None, withheld_reason=f"No safe way to send a message{note}")
