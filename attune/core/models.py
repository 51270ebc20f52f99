"""The base every Attune model stands on, and the append-only audit log."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from attune.core import links


class BaseModel(models.Model):
    """UUID key (nothing guessable in a URL) and creation and update times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Outcome(models.TextChoices):
    SUCCESS = "success", "Succeeded"
    FAILURE = "failure", "Failed"
    DENIED = "denied", "Refused: not permitted"
    NOT_FOUND = "not_found", "Refused: outside the person's scope"


class AuditEvent(models.Model):
    """One thing somebody did or tried to do. Append-only: database triggers refuse UPDATE and
    DELETE (ADR 0003). The key is a big integer so the log stays in time order cheaply."""

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=True,
    )
    # What the actor was called at the time, or the email typed at a failed sign-in.
    actor_label = models.CharField(max_length=254, blank=True)
    role = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # A few words of context (a reason, a path); never clinical content.
    detail = models.JSONField(default=dict, blank=True)
    # The family whose data the event showed or changed, and the person in it where one person's
    # data was shown: the IG lead's "who saw this family?" reads these, whatever the page was about
    # (a referral, an appointment, a note). Plain ids: core sits below families.
    family_id = models.UUIDField(null=True, blank=True)
    person_id = models.UUIDField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["object_type", "object_id", "-occurred_at"], name="audit_object_idx"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_idx"),
            models.Index(fields=["-occurred_at"], name="audit_time_idx"),
            models.Index(fields=["family_id", "-occurred_at"], name="audit_family_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.outcome}"


class TaskKind(models.TextChoices):
    COUNTERSIGN_NOTE = "countersign_note", "Countersign a trainee's note"
    REVIEW_MISSED_APPOINTMENTS = "review_missed", "Review after missed appointments"
    LONE_WORKING_OVERDUE = "lone_working", "Home visit not checked out"
    SUPERVISION_ACTION = "supervision_action", "Supervision action"
    RISK_ALERT = "risk_alert", "Act on a risk alert"
    POST_ENDING = "post_ending", "A post is ending"
    REVIEW_RISK_ALERT = "review_risk_alert", "Review the action taken on a high-risk alert"
    NOTE_RETURNED = "note_returned", "A note returned with comments"
    SAFEGUARDING_MEETING = "safeguarding_meeting", "Prepare for a safeguarding meeting"
    TELL_COUNCIL_OF_BIRTH = "tell_council_of_birth", "Tell children's social care of a birth"
    RECORDING_ERASURE = "recording_erasure", "A video recording is due to be erased"
    CONSENT_REVIEW = "consent_review", "Review a consent"


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> "TaskQuerySet":
        return self.filter(closed_at__isnull=True)

    def for_person(self, user: Any) -> "TaskQuerySet":
        return self.filter(assignee=user)


class Task(BaseModel):
    """Something a person must do, raised by any app (countersign this note, act on this alert),
    shown on their home page until it is closed. Low in the tree so every app can raise one and
    every page can show them (DESIGN.md convention 12)."""

    kind = models.CharField(max_length=24, choices=TaskKind.choices)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(max_length=300)
    # What it is about (for closing it when that is done), and the ids its link needs besides
    # (the appointment a note belongs to): the raising app registers the link (core.links).
    about_type = models.CharField(max_length=64)
    about_id = models.CharField(max_length=64)
    facts = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    urgent = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_note = models.CharField(max_length=300, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["-urgent", "created_at"]
        indexes = [
            models.Index(fields=["assignee", "closed_at"], name="task_assignee_open_idx"),
            models.Index(fields=["about_type", "about_id"], name="task_about_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str:
        """Where the person goes to do it."""
        return links.task_link(self)


class ScheduledJob(models.Model):
    """One registered job's schedule and its last run (attune.core.jobs, attune.core.worker). A
    worker claims a due row under a row lock, so two workers never enqueue or run it twice."""

    name = models.CharField(max_length=64, primary_key=True)
    next_run_at = models.DateTimeField()
    # Set when a worker enqueues the run, cleared when it finishes: not claimed again meanwhile.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    last_succeeded = models.BooleanField(null=True, blank=True)
    # The exception's type and message only: never a stack trace (it may hold personal data).
    last_error = models.CharField(max_length=300, blank=True)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    failures_in_a_row = models.PositiveIntegerField(default=0)
    failures_total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """Each worker process writes its row on every loop: /healthz says "stale" when the latest is
    more than five minutes old."""

    worker_id = models.CharField(max_length=100, primary_key=True)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.worker_id} {self.beat_at:%Y-%m-%d %H:%M:%S}"
