"""The outbox: every email, text message and letter Attune sends, written in the same transaction
as the change that caused it, then delivered (GOV.UK Notify in production). A message that must
not be sent (no safe way to reach the person) is kept too, with the reason, so nobody assumes a
family was told when they were not."""

from datetime import datetime

from django.db import models
from django.db.models import Q

from attune.core.models import BaseModel


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    LETTER = "letter", "Letter"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to send"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    WITHHELD = "withheld", "Not sent"


class MessageQuerySet(models.QuerySet["Message"]):
    def about(self, object_type: str, object_id: str) -> "MessageQuerySet":
        return self.filter(about_type=object_type, about_id=object_id)

    def queued(self) -> "MessageQuerySet":
        return self.filter(status=MessageStatus.QUEUED)

    def due(self, now: datetime) -> "MessageQuerySet":
        """Queued and not waiting for a retry."""
        return self.queued().filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


class Message(BaseModel):
    # Blank for a withheld message: it had no channel to go by.
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    # An email address, a phone number, or a postal address for a letter.
    to = models.CharField(max_length=500, blank=True)
    # Who the message is for, in words ("Referrer: Jo Bloggs, health visitor").
    recipient = models.CharField(max_length=200)
    template = models.CharField(max_length=64)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    withheld_reason = models.CharField(max_length=300, blank=True)
    # What the message is about (a referral, an appointment), for its page's "messages" list.
    about_type = models.CharField(max_length=64)
    about_id = models.CharField(max_length=64)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=500, blank=True)
    # Delivery tries so far; after a temporary failure (Notify down, a network fault) the message
    # stays queued until `next_attempt_at`.
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["about_type", "about_id"], name="message_about_idx"),
            models.Index(fields=["status", "created_at"], name="message_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.recipient}: {self.template} ({self.status})"
