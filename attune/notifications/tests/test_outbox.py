"""The outbox: messages rendered from their templates when queued, written in the caller's
transaction, withheld (with the reason, and no address) when there is no safe way to send them."""

import pytest
from django.db import transaction

from attune.core.models import AuditEvent
from attune.notifications.models import Channel, Message, MessageStatus
from attune.notifications.services import Recipient, messages_about, queue_message
from attune.referrals.models import Referral
from attune.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

REFERRER = Recipient("Referrer: Claire Moss", Channel.EMAIL, "claire.moss@nhs.example")


@pytest.fixture
def referral() -> Referral:
    return ReferralFactory(reference="PIR-ACDE-FGHJ", family__team__name="St Mary's & Children's team")


def _queue(
    referral: Referral, recipient: Recipient = REFERRER, template: str = "referral_accepted_referrer"
) -> Message:
    return queue_message(
        recipient=recipient, template=template, context={"referral": referral, "team": referral.team}, about=referral
    )


def test_the_subject_and_body_come_from_the_template(referral: Referral) -> None:
    message = _queue(referral)
    assert message.subject == "Referral accepted: PIR-ACDE-FGHJ"
    assert message.body == (
        "The St Mary's & Children's team has accepted your referral PIR-ACDE-FGHJ. The family is on our "
        "waiting list and we will contact them to arrange a first appointment."
    )
    assert message.template == "referral_accepted_referrer"


def test_plain_text_messages_are_not_html_escaped(referral: Referral) -> None:
    message = _queue(referral)
    assert "&amp;" not in message.body
    assert "&#39;" not in message.body


def test_a_template_default_fills_what_the_caller_leaves_out(referral: Referral) -> None:
    message = _queue(referral, template="referral_received_referrer")
    assert message.subject == "Referral received: PIR-ACDE-FGHJ"
    assert "within 5 working days" in message.body
    assert message.body.startswith("Thank you for your referral to the ")


def test_optional_parts_of_a_template_are_left_out_when_empty(referral: Referral) -> None:
    referral.decline_reason = "area"
    without_note = queue_message(
        recipient=REFERRER,
        template="referral_declined_referrer",
        context={"referral": referral, "team": referral.team, "note": ""},
        about=referral,
    )
    assert without_note.body == "The St Mary's & Children's team has not accepted your referral PIR-ACDE-FGHJ. " + (
        "Reason: Lives outside the area."
    )
    with_note = queue_message(
        recipient=REFERRER,
        template="referral_declined_referrer",
        context={"referral": referral, "team": referral.team, "note": "They live in Preston."},
        about=referral,
    )
    assert with_note.body.endswith("Reason: Lives outside the area.\n\nThey live in Preston.")


def test_a_message_with_a_route_is_queued_to_that_address(referral: Referral) -> None:
    message = _queue(referral)
    stored = Message.objects.get(pk=message.pk)
    assert (stored.channel, stored.to, stored.status) == (
        Channel.EMAIL,
        "claire.moss@nhs.example",
        MessageStatus.QUEUED,
    )
    assert stored.recipient == "Referrer: Claire Moss"
    assert stored.withheld_reason == ""
    assert (stored.about_type, stored.about_id) == ("referrals.referral", str(referral.pk))
    assert stored.sent_at is None
    assert list(Message.objects.queued()) == [stored]


def test_a_message_with_no_route_is_withheld_with_its_reason(referral: Referral) -> None:
    recipient = Recipient(
        "Mother: Danielle Cartwright", None, withheld_reason="The family asked not to be contacted directly"
    )
    message = _queue(referral, recipient, "referral_accepted_family")
    assert message.status == MessageStatus.WITHHELD
    assert message.to == ""
    assert message.withheld_reason == "The family asked not to be contacted directly"
    # The text is kept, so the team can see what the family was not told.
    assert message.subject == "Your referral has been accepted"
    assert not Message.objects.queued().exists()


def test_a_withheld_message_keeps_no_address_even_if_one_was_given(referral: Referral) -> None:
    recipient = Recipient("Mother: Danielle Cartwright", Channel.SMS, "07700 900104", withheld_reason="Unsafe phone")
    message = _queue(referral, recipient, "referral_accepted_family")
    stored = Message.objects.get(pk=message.pk)
    assert stored.status == MessageStatus.WITHHELD
    assert stored.to == ""
    assert stored.withheld_reason == "Unsafe phone"


def test_a_withheld_message_without_a_reason_is_given_one(referral: Referral) -> None:
    message = _queue(referral, Recipient("The family", None), "referral_accepted_family")
    assert message.status == MessageStatus.WITHHELD
    assert message.withheld_reason == "No safe way to contact them"


def test_queueing_and_withholding_are_audited(referral: Referral) -> None:
    queued = _queue(referral)
    withheld = _queue(referral, Recipient("The family", None, withheld_reason="No carer"), "referral_accepted_family")
    events = list(AuditEvent.objects.filter(object_type="notifications.message").order_by("id"))
    assert [(e.action, e.object_id) for e in events] == [
        ("message.queued", str(queued.pk)),
        ("message.withheld", str(withheld.pk)),
    ]
    assert events[0].detail == {"template": "referral_accepted_referrer", "about": f"referrals.referral:{referral.pk}"}
    # No address or message text goes into the audit log.
    assert "claire.moss" not in str(events[0].detail)


def _queue_then_fail(referral: Referral) -> None:
    with transaction.atomic():
        _queue(referral)
        raise RuntimeError("the change that caused the message failed")


def test_messages_are_written_in_the_callers_transaction(referral: Referral) -> None:
    with pytest.raises(RuntimeError, match="caused the message failed"):
        _queue_then_fail(referral)
    assert not Message.objects.exists()
    assert not AuditEvent.objects.filter(object_type="notifications.message").exists()


def test_messages_about_one_record_only(referral: Referral) -> None:
    other = ReferralFactory()
    mine = [_queue(referral), _queue(referral, template="referral_received_referrer")]
    _queue(other)
    assert messages_about(referral) == mine
