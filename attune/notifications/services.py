"""Queueing messages. Callers pass what the message says; this app decides nothing clinical."""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.template.loader import render_to_string

from attune.core import audit
from attune.core.actors import Actor
from attune.notifications.models import Channel, Message, MessageStatus


@dataclass(frozen=True)
class Recipient:
    """Where a message may go. `withheld_reason` set means it must not be sent at all."""

    label: str
    channel: Channel | None
    to: str = ""
    withheld_reason: str = ""


def queue_message(
    *,
    recipient: Recipient,
    template: str,
    context: dict[str, Any],
    about: models.Model,
    actor: Actor | None = None,
) -> Message:
    """Write the message to the outbox, in the caller's transaction. The text is rendered now, so
    the outbox shows exactly what the person was sent."""
    subject, _, body = render_to_string(f"notifications/messages/{template}.txt", context).strip().partition("\n")
    withheld = recipient.channel is None or bool(recipient.withheld_reason)
    message = Message.objects.create(
        channel="" if withheld else (recipient.channel or ""),
        to="" if withheld else recipient.to,
        recipient=recipient.label,
        template=template,
        subject=subject.removeprefix("Subject: ").strip(),
        body=body.strip(),
        status=MessageStatus.WITHHELD if withheld else MessageStatus.QUEUED,
        withheld_reason=recipient.withheld_reason or ("No safe way to contact them" if withheld else ""),
        about_type=audit.object_type_of(about),
        about_id=str(about.pk),
    )
    audit.record(
        action="message.withheld" if withheld else "message.queued",
        actor=actor,
        obj=message,
        detail={"template": template, "about": f"{message.about_type}:{message.about_id}"},
    )
    return message


def messages_about(obj: models.Model) -> list[Message]:
    return list(Message.objects.about(audit.object_type_of(obj), str(obj.pk)))
