"""Delivering the outbox through GOV.UK Notify.

`send_queued` takes the queued text messages and emails one at a time, each under a row lock
(`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL), so several workers can run at once and never
send one message twice: a worker skips a message another is sending, and once that commits the
message is no longer queued. The lock is held while Notify is called (at most the client's
timeout). If a worker dies after Notify accepted a message but before its transaction commits,
the message is sent again on the next run: at least once, never silently lost. SQLite has no row
locks (Django leaves the clause out there), so on SQLite run one worker only.

Each channel goes through one generic Notify template whose personalisation is the subject and
body Attune rendered when it queued the message, so the outbox shows exactly what was sent.
Letters are not sent through Notify: the team prints them from the outbox and posts them, so they
stay queued here. A blank NOTIFY_API_KEY means outbox only: nothing is sent at all; so does demo mode (ATTUNE_DEMO).
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from attune.core import audit
from attune.notifications.models import Channel, Message, MessageStatus

logger = logging.getLogger(__name__)

# Temporary failures are tried again after 1, 2, 4 ... minutes, up to 4 hours apart; after this
# many tries in all the message fails, so the team knows the family was not told.
MAX_ATTEMPTS = 10
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=4)
# Notify's rate limit (429) passes; so do its own faults (5xx). The client reports a network
# fault (no answer at all) as 503.
TRANSIENT_4XX = frozenset({408, 429})
ERROR_LENGTH = 300
# name-<service id, a UUID>-<secret, a UUID>: the client takes the last 73 characters apart.
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
API_KEY_FORM = re.compile(rf"^.+-{_UUID}-{_UUID}$", re.IGNORECASE)


class NotifyClient(Protocol):
    def send_sms_notification(
        self,
        phone_number: str,
        template_id: str,
        personalisation: dict[str, Any] | None = ...,
        reference: str | None = ...,
    ) -> dict[str, Any]: ...

    def send_email_notification(
        self,
        email_address: str,
        template_id: str,
        personalisation: dict[str, Any] | None = ...,
        reference: str | None = ...,
    ) -> dict[str, Any]: ...


@dataclass
class Summary:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    # Queued letters, left for the team to print and post.
    letters_to_print: int = 0
    # Queued messages whose channel has no Notify template set (left queued).
    no_template: int = 0
    # Still queued and due when the run stopped (the limit was reached).
    still_queued: int = 0
    # Set when nothing was sent on purpose or could not be: why, in words.
    not_sending: str = ""

    def line(self) -> str:
        parts = []
        if self.not_sending:
            parts.append(self.not_sending)
        else:
            parts.append(f"{self.sent} sent, {self.failed} failed, {self.retrying} to try again later")
        if self.still_queued:
            parts.append(f"{self.still_queued} still waiting to send")
        if self.no_template:
            parts.append(f"{self.no_template} waiting for a Notify template to be set")
        if self.letters_to_print:
            parts.append(f"{self.letters_to_print} letters to print and post")
        return "Outbox: " + "; ".join(parts) + "."


def template_ids() -> dict[str, str]:
    """The Notify template for each channel Notify sends, when one is set."""
    ids = {Channel.SMS.value: settings.NOTIFY_SMS_TEMPLATE_ID, Channel.EMAIL.value: settings.NOTIFY_EMAIL_TEMPLATE_ID}
    return {channel: template for channel, template in ids.items() if template}


def make_client() -> NotificationsAPIClient | None:
    """The real client from settings, or None for outbox only (a blank key)."""
    key = settings.NOTIFY_API_KEY.strip()
    if not key:
        return None
    if not API_KEY_FORM.match(key):
        # Never echo the key: it is a secret.
        raise ValueError("NOTIFY_API_KEY is not a Notify API key (name-<service id>-<secret>)")
    return NotificationsAPIClient(key, base_url=settings.NOTIFY_BASE_URL)


def _waiting(channels: list[str], now: dt.datetime) -> Summary:
    summary = Summary()
    queued = Message.objects.queued()
    summary.letters_to_print = queued.filter(channel=Channel.LETTER).count()
    summary.no_template = queued.exclude(channel=Channel.LETTER).exclude(channel__in=channels).count()
    summary.still_queued = Message.objects.due(now).filter(channel__in=channels).count()
    return summary


def send_queued(*, client: NotifyClient | None = None, limit: int = 100) -> Summary:
    """Send up to `limit` queued text messages and emails that are due. Each is its own
    transaction: a failure with one never holds up or undoes the others."""
    now = timezone.now()
    ids = template_ids()
    if settings.DEMO_MODE:
        # The demo's families, referrers and phone numbers are invented: nothing leaves Attune,
        # whatever key is set, and the pages that confirm a message say so.
        summary = _waiting([], now)
        summary.still_queued = Message.objects.queued().exclude(channel=Channel.LETTER).count()
        summary.no_template = 0
        summary.not_sending = "This is a demonstration: nothing is sent. Messages stay in the outbox"
        return summary
    if client is None:
        try:
            client = make_client()
        except ValueError as error:
            summary = _waiting(list(ids), now)
            summary.not_sending = f"Nothing sent: {error}"
            return summary
    if client is None:
        summary = _waiting([], now)
        summary.still_queued = Message.objects.queued().exclude(channel=Channel.LETTER).count()
        summary.no_template = 0
        summary.not_sending = "GOV.UK Notify is not set up (NOTIFY_API_KEY is blank), so nothing was sent"
        logger.warning("NOTIFY_API_KEY is blank: %s messages stay in the outbox unsent", summary.still_queued)
        return summary
    sent = failed = retrying = 0
    for _ in range(limit):
        outcome = _send_next(client, ids)
        if outcome is None:
            break
        sent += outcome == MessageStatus.SENT
        failed += outcome == MessageStatus.FAILED
        retrying += outcome == MessageStatus.QUEUED
    summary = _waiting(list(ids), timezone.now())
    summary.sent, summary.failed, summary.retrying = sent, failed, retrying
    return summary


@transaction.atomic
def _send_next(client: NotifyClient, ids: dict[str, str]) -> str | None:
    """Lock the oldest due message no other worker holds, send it and record what happened.
    Returns its status afterwards, or None when nothing is left to send."""
    message = (
        Message.objects.select_for_update(skip_locked=True)
        .due(timezone.now())
        .filter(channel__in=list(ids))
        .order_by("created_at", "id")
        .first()
    )
    if message is None:
        return None
    message.attempts += 1
    personalisation = {"subject": message.subject, "body": message.body}
    try:
        if message.channel == Channel.SMS:
            answer = client.send_sms_notification(
                phone_number=message.to,
                template_id=ids[message.channel],
                personalisation=personalisation,
                reference=str(message.pk),
            )
        else:
            answer = client.send_email_notification(
                email_address=message.to,
                template_id=ids[message.channel],
                personalisation=personalisation,
                reference=str(message.pk),
            )
    except APIError as error:
        _failed(message, error.status_code, _reason(error))
    except Exception as error:
        logger.exception("Sending message %s failed unexpectedly", message.pk)
        _failed(message, 503, f"Unexpected error: {type(error).__name__}")
    else:
        message.status = MessageStatus.SENT
        message.sent_at = timezone.now()
        message.provider_reference = str(answer.get("id", ""))[:100]
        message.next_attempt_at = None
        message.error = ""
        message.save(
            update_fields=[
                "status",
                "sent_at",
                "provider_reference",
                "attempts",
                "next_attempt_at",
                "error",
                "updated_at",
            ]
        )
        audit.record(
            action="message.sent",
            obj=message,
            detail={"template": message.template, "channel": message.channel, "attempts": message.attempts},
        )
    return message.status


def _reason(error: APIError) -> str:
    detail = error.message
    if isinstance(detail, list):
        detail = "; ".join(str(item.get("message", item)) if isinstance(item, dict) else str(item) for item in detail)
    return f"GOV.UK Notify answered {error.status_code}: {detail}"


def _scrub(text: str) -> str:
    key = settings.NOTIFY_API_KEY.strip()
    for secret in (key, key[-36:], key[-73:-37]):
        if len(secret) >= 8:
            text = text.replace(secret, "[key]")
    return text[:ERROR_LENGTH]


def _failed(message: Message, status_code: int, reason: str) -> None:
    message.error = _scrub(reason)
    transient = status_code >= 500 or status_code in TRANSIENT_4XX
    if transient and message.attempts < MAX_ATTEMPTS:
        wait = min(FIRST_RETRY * 2 ** (message.attempts - 1), LONGEST_RETRY)
        message.next_attempt_at = timezone.now() + wait
        action = "message.send_deferred"
    else:
        if transient:
            message.error = _scrub(f"Gave up after {message.attempts} tries. {reason}")
        message.status = MessageStatus.FAILED
        message.next_attempt_at = None
        action = "message.failed"
    message.save(update_fields=["status", "error", "attempts", "next_attempt_at", "updated_at"])
    audit.record(
        action=action,
        obj=message,
        outcome=audit.Outcome.FAILURE,
        detail={"template": message.template, "status_code": status_code, "attempts": message.attempts},
    )
