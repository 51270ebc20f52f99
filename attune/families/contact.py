"""How a family may be reached safely. A safe-contact instruction always wins over convenience:
a phone or inbox marked unsafe is never used, and "do not contact" means the message is kept,
unsent, with the reason, so the team knows to make contact another way. Consent counts the
same way: a channel they refused or withdrew consent to is never used (one never asked about
is, as before consent was recorded at all)."""

from attune.core.formatting import date_long
from attune.families.codes import ContactPreference
from attune.families.consent import current_consents
from attune.families.consent_models import Consent, ConsentPurpose
from attune.families.models import Carer, Family
from attune.notifications.models import Channel
from attune.notifications.services import Recipient

# Each person's current decision per purpose, as consent.current_consents returns them.
Consents = dict[tuple[str, str], Consent]


def _route(carer: Carer, family: Family, channel: str) -> Recipient | None:
    label = f"{carer.get_relationship_display()}: {carer.full_name}"
    if channel == ContactPreference.SMS and carer.phone and carer.phone_is_safe:
        return Recipient(label, Channel.SMS, carer.phone)
    if channel == ContactPreference.EMAIL and carer.email and carer.email_is_safe:
        return Recipient(label, Channel.EMAIL, carer.email)
    if channel == ContactPreference.LETTER and family.address_line_1 and family.postcode:
        return Recipient(label, Channel.LETTER, family.address)
    return None


# The consent each channel needs, and how a withheld message names it.
CHANNEL_CONSENT: dict[str, tuple[ConsentPurpose, str]] = {
    ContactPreference.SMS: (ConsentPurpose.CONTACT_TEXT, "text messages"),
    ContactPreference.EMAIL: (ConsentPurpose.CONTACT_EMAIL, "email"),
    ContactPreference.LETTER: (ConsentPurpose.CONTACT_LETTER, "letters"),
}


def _consent_refusal(consents: Consents, carer: Carer, channel: str) -> str:
    """Why this channel may not be used for lack of consent, or "" when it may."""
    purpose, words = CHANNEL_CONSENT[channel]
    consent = consents.get((str(carer.pk), purpose))
    if consent is None or consent.is_given:
        return ""
    if consent.withdrawn_at is not None:
        return f"Consent to {words} was withdrawn on {date_long(consent.withdrawn_at)}"
    return f"Consent to {words} was refused on {date_long(consent.created_at)}"


def main_contact(family: Family) -> Carer | None:
    carers = list(family.carers.all())
    return next((c for c in carers if c.is_main_contact), carers[0] if carers else None)


def safe_route(family: Family, *, consents: Consents | None = None) -> Recipient:
    carer = main_contact(family)
    if carer is None:
        return Recipient("The family", None, withheld_reason="No parent or carer is recorded")
    return safe_route_to(carer, consents=consents)


def safe_route_to(carer: Carer, *, consents: Consents | None = None) -> Recipient:
    """How to reach this parent or carer themselves (a questionnaire meant for them, not for
    whoever is the family's main contact), by the same rules. A job routing many messages reads
    their carers' consents at once (`current_consents`) and passes them in."""
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
    if consents is None:
        consents = current_consents([carer])
    refusals: list[str] = []
    for channel in order:
        refusal = _consent_refusal(consents, carer, channel)
        if refusal:
            refusals.append(refusal)
            continue
        route = _route(carer, family, channel)
        if route is not None:
            return route
    if refusals:
        # The first refusal is the one about the channel they would have been sent.
        return Recipient(label, None, withheld_reason=f"{refusals[0]}: contact them another way")
    return Recipient(label, None, withheld_reason=f"No safe way to send a message{note}")
