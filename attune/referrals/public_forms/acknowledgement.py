"""What the person who referred sees once the referral is in: its reference and how they will
hear back."""

from dataclasses import dataclass

from attune.notifications.models import MessageStatus
from attune.notifications.services import messages_about
from attune.referrals.models import Referral, ReferralKind


@dataclass(frozen=True)
class Acknowledgement:
    """How the person who referred was told the referral arrived, in their words."""

    sent: bool
    channel: str
    to: str


def acknowledgement_of(referral: Referral) -> Acknowledgement:
    """The receipt message for the person who referred: the referrer's email for a
    professional, the parent's safe route for a self-referral."""
    template = "referral_received_family" if referral.kind == ReferralKind.SELF else "referral_received_referrer"
    message = next((m for m in messages_about(referral) if m.template == template), None)
    if message is None or message.status == MessageStatus.WITHHELD:
        return Acknowledgement(sent=False, channel="", to="")
    return Acknowledgement(sent=True, channel=message.channel, to=message.to)
