"""Delivering the outbox: real messages through the real GOV.UK Notify client to the fake Notify
server, checking what it received and what Attune recorded."""

import datetime as dt
import threading
from io import StringIO
from typing import Any

import jwt
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from notifications_python_client.authentication import decode_jwt_token

from attune.core.models import AuditEvent
from attune.notifications import delivery
from attune.notifications.models import Channel, Message, MessageStatus
from attune.notifications.services import Recipient, queue_message
from attune.notifications.tests.fake_notify import (
    API_KEY,
    EMAIL_TEMPLATE_ID,
    SECRET,
    SERVICE_ID,
    SMS_TEMPLATE_ID,
    FakeNotify,
)
from attune.referrals.models import Referral
from attune.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

MUM = Recipient("Mother: Danielle Cartwright", Channel.SMS, "07700 900104")
REFERRER = Recipient("Referrer: Claire Moss", Channel.EMAIL, "claire.moss@nhs.example")


@pytest.fixture
def referral() -> Referral:
    return ReferralFactory(reference="PIR-ACDE-FGHJ", family__team__name="Blackpool PAIRS hub team")


def _queue(referral: Referral, recipient: Recipient = MUM, template: str = "referral_accepted_family") -> Message:
    return queue_message(
        recipient=recipient, template=template, context={"referral": referral, "team": referral.team}, about=referral
    )


def _actions(message: Message) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="notifications.message", object_id=str(message.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_text_message_goes_to_notify_and_is_recorded_as_sent(fake_notify: FakeNotify, referral: Referral) -> None:
    message = _queue(referral)
    summary = delivery.send_queued()
    assert (summary.sent, summary.failed, summary.retrying) == (1, 0, 0)
    [received] = fake_notify.requests
    assert received.method == "POST"
    assert received.path == "/v2/notifications/sms"
    assert received.headers["Authorization"].startswith("Bearer ")
    # A JWT signed with the key's secret, issued by its service id: what real Notify checks.
    assert decode_jwt_token(received.token, SECRET)
    assert jwt.decode(received.token, options={"verify_signature": False}, algorithms=["HS256"])["iss"] == SERVICE_ID
    assert received.body == {
        "phone_number": "07700 900104",
        "template_id": SMS_TEMPLATE_ID,
        "personalisation": {"subject": "Your referral has been accepted", "body": message.body},
        "reference": str(message.pk),
    }
    stored = Message.objects.get(pk=message.pk)
    assert stored.status == MessageStatus.SENT
    assert stored.sent_at is not None
    assert stored.attempts == 1
    assert stored.error == ""
    assert stored.provider_reference
    assert len(stored.provider_reference) == 36
    assert _actions(message) == ["message.queued", "message.sent"]


def test_an_email_goes_to_the_email_endpoint_with_its_subject(fake_notify: FakeNotify, referral: Referral) -> None:
    message = _queue(referral, REFERRER, "referral_accepted_referrer")
    delivery.send_queued()
    [received] = fake_notify.requests
    assert received.path == "/v2/notifications/email"
    assert received.body["email_address"] == "claire.moss@nhs.example"
    assert received.body["template_id"] == EMAIL_TEMPLATE_ID
    assert received.body["personalisation"] == {"subject": "Referral accepted: PIR-ACDE-FGHJ", "body": message.body}
    assert received.body["reference"] == str(message.pk)
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENT


def test_sent_messages_are_not_sent_again(fake_notify: FakeNotify, referral: Referral) -> None:
    _queue(referral)
    delivery.send_queued()
    second = delivery.send_queued()
    assert len(fake_notify.requests) == 1
    assert second.sent == 0


def test_a_notify_fault_keeps_the_message_queued_to_try_again(fake_notify: FakeNotify, referral: Referral) -> None:
    message = _queue(referral)
    fake_notify.fail_with(500)
    summary = delivery.send_queued()
    assert (summary.sent, summary.failed, summary.retrying) == (0, 0, 1)
    stored = Message.objects.get(pk=message.pk)
    assert stored.status == MessageStatus.QUEUED
    assert stored.attempts == 1
    assert stored.next_attempt_at is not None
    assert stored.next_attempt_at > timezone.now()
    assert "500" in stored.error
    assert _actions(message) == ["message.queued", "message.send_deferred"]
    # Not due yet: a run straight away leaves it alone.
    fake_notify.succeed()
    delivery.send_queued()
    assert len(fake_notify.requests) == 1
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    delivery.send_queued()
    stored.refresh_from_db()
    assert (stored.status, stored.attempts, stored.error) == (MessageStatus.SENT, 2, "")
    assert len(fake_notify.requests) == 2


def test_retries_wait_longer_each_time(fake_notify: FakeNotify, referral: Referral) -> None:
    message = _queue(referral)
    fake_notify.fail_with(503)
    waits = []
    for _ in range(3):
        Message.objects.filter(pk=message.pk).update(next_attempt_at=None)
        before = timezone.now()
        delivery.send_queued()
        stored = Message.objects.get(pk=message.pk)
        assert stored.next_attempt_at is not None
        waits.append(round((stored.next_attempt_at - before).total_seconds() / 60))
    assert waits == [1, 2, 4]


def test_after_the_last_try_the_message_fails(fake_notify: FakeNotify, referral: Referral) -> None:
    message = _queue(referral)
    Message.objects.filter(pk=message.pk).update(attempts=delivery.MAX_ATTEMPTS - 1)
    fake_notify.fail_with(500)
    summary = delivery.send_queued()
    stored = Message.objects.get(pk=message.pk)
    assert summary.failed == 1
    assert stored.status == MessageStatus.FAILED
    assert stored.error.startswith(f"Gave up after {delivery.MAX_ATTEMPTS} tries.")


def test_a_refusal_fails_the_message_with_a_short_reason(fake_notify: FakeNotify, referral: Referral) -> None:
    message = _queue(referral)
    fake_notify.fail_with(400)
    summary = delivery.send_queued()
    assert (summary.sent, summary.failed, summary.retrying) == (0, 1, 0)
    stored = Message.objects.get(pk=message.pk)
    assert stored.status == MessageStatus.FAILED
    assert stored.error == ("GOV.UK Notify answered 400: Can't send to this recipient using a team-only API key")
    assert stored.sent_at is None
    assert _actions(message) == ["message.queued", "message.failed"]
    event = AuditEvent.objects.get(action="message.failed")
    assert event.outcome == "failure"
    assert event.detail == {"template": "referral_accepted_family", "status_code": 400, "attempts": 1}
    assert SECRET not in str(event.detail)
    assert SECRET not in stored.error
    # A failed message is not tried again.
    fake_notify.succeed()
    delivery.send_queued()
    assert len(fake_notify.requests) == 1


def test_no_answer_at_all_is_tried_again(settings: Any, referral: Referral) -> None:
    with FakeNotify() as notify:
        url = notify.url
    # The server has gone: nothing listens on that port now.
    settings.NOTIFY_BASE_URL, settings.NOTIFY_API_KEY = url, API_KEY
    settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE_ID
    message = _queue(referral)
    summary = delivery.send_queued()
    stored = Message.objects.get(pk=message.pk)
    assert summary.retrying == 1
    assert (stored.status, stored.attempts) == (MessageStatus.QUEUED, 1)
    assert stored.next_attempt_at is not None
    assert SECRET not in stored.error


def test_letters_are_left_for_the_team_to_print(fake_notify: FakeNotify, referral: Referral) -> None:
    letter = _queue(referral, Recipient("Mother: Danielle Cartwright", Channel.LETTER, "1 High Street, FY1 1AA"))
    text = _queue(referral)
    summary = delivery.send_queued()
    assert [r.path for r in fake_notify.requests] == ["/v2/notifications/sms"]
    assert Message.objects.get(pk=letter.pk).status == MessageStatus.QUEUED
    assert Message.objects.get(pk=text.pk).status == MessageStatus.SENT
    assert summary.letters_to_print == 1
    assert "1 letters to print and post" in summary.line()


def test_withheld_messages_are_never_sent(fake_notify: FakeNotify, referral: Referral) -> None:
    withheld = _queue(referral, Recipient("Mother", None, withheld_reason="Their phone is not safe to use"))
    summary = delivery.send_queued()
    assert fake_notify.requests == []
    assert summary.sent == 0
    assert Message.objects.get(pk=withheld.pk).status == MessageStatus.WITHHELD


def test_a_blank_key_means_outbox_only(settings: Any, referral: Referral) -> None:
    with FakeNotify() as notify:
        settings.NOTIFY_BASE_URL, settings.NOTIFY_API_KEY = notify.url, ""
        settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE_ID
        message = _queue(referral)
        out = StringIO()
        call_command("send_outbox", stdout=out)
        assert notify.requests == []
    assert Message.objects.get(pk=message.pk).status == MessageStatus.QUEUED
    assert out.getvalue().strip() == (
        "Outbox: GOV.UK Notify is not set up (NOTIFY_API_KEY is blank), so nothing was sent; 1 still waiting to send."
    )


def test_a_malformed_key_sends_nothing_and_is_not_echoed(
    fake_notify: FakeNotify, settings: Any, referral: Referral
) -> None:
    settings.NOTIFY_API_KEY = "not-a-real-key-but-secret-looking"
    _queue(referral)
    summary = delivery.send_queued()
    assert fake_notify.requests == []
    assert "not a Notify API key" in summary.line()
    assert "secret-looking" not in summary.line()


def test_a_channel_without_a_template_waits(fake_notify: FakeNotify, settings: Any, referral: Referral) -> None:
    settings.NOTIFY_EMAIL_TEMPLATE_ID = ""
    email = _queue(referral, REFERRER, "referral_accepted_referrer")
    _queue(referral)
    summary = delivery.send_queued()
    assert [r.path for r in fake_notify.requests] == ["/v2/notifications/sms"]
    assert Message.objects.get(pk=email.pk).status == MessageStatus.QUEUED
    assert summary.no_template == 1


def test_the_limit_caps_one_run_oldest_first(fake_notify: FakeNotify, referral: Referral) -> None:
    first, second, third = (_queue(referral) for _ in range(3))
    summary = delivery.send_queued(limit=2)
    assert [r.body["reference"] for r in fake_notify.requests] == [str(first.pk), str(second.pk)]
    assert (summary.sent, summary.still_queued) == (2, 1)
    assert Message.objects.get(pk=third.pk).status == MessageStatus.QUEUED


def test_the_command_prints_a_one_line_summary(fake_notify: FakeNotify, referral: Referral) -> None:
    _queue(referral)
    _queue(referral, REFERRER, "referral_accepted_referrer")
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert out.getvalue() == "Outbox: 2 sent, 0 failed, 0 to try again later.\n"


def test_the_command_loops_for_a_worker(fake_notify: FakeNotify, referral: Referral, monkeypatch: Any) -> None:
    _queue(referral)
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 1:
            _queue(referral, REFERRER, "referral_accepted_referrer")
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr("attune.notifications.management.commands.send_outbox.time.sleep", nap)
    out = StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("send_outbox", "--loop", "30", stdout=out)
    assert naps == [30, 30]
    assert out.getvalue().splitlines() == ["Outbox: 1 sent, 0 failed, 0 to try again later."] * 2
    assert len(fake_notify.requests) == 2


def test_an_explicit_client_is_used_as_given(referral: Referral) -> None:
    message = _queue(referral)
    calls: list[dict[str, Any]] = []

    class Client:
        def send_sms_notification(self, **kwargs: Any) -> dict[str, Any]:
            calls.append(kwargs)
            return {"id": "notify-id-1"}

        def send_email_notification(self, **kwargs: Any) -> dict[str, Any]:  # pragma: no cover
            raise AssertionError

    # The settings name no template in tests: the explicit client still needs one.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "template_ids", lambda: {"sms": "template-sms"})
        delivery.send_queued(client=Client())
    assert calls == [
        {
            "phone_number": "07700 900104",
            "template_id": "template-sms",
            "personalisation": {"subject": message.subject, "body": message.body},
            "reference": str(message.pk),
        }
    ]
    assert Message.objects.get(pk=message.pk).provider_reference == "notify-id-1"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks (SKIP LOCKED) exist on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_one_message_twice(fake_notify: FakeNotify) -> None:
    referral = ReferralFactory()
    held, other = _queue(referral), _queue(referral)
    locked, release = threading.Event(), threading.Event()

    def another_worker() -> None:
        # A second worker is part-way through sending `held`: it holds that row's lock.
        with transaction.atomic():
            Message.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(timeout=10)
        connection.close()

    thread = threading.Thread(target=another_worker)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        summary = delivery.send_queued()
    finally:
        release.set()
        thread.join()
    assert [r.body["reference"] for r in fake_notify.requests] == [str(other.pk)]
    assert summary.sent == 1
    assert Message.objects.get(pk=held.pk).status == MessageStatus.QUEUED
