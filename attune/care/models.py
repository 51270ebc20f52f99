"""The care pathway: capacity, episodes of care and who works them, goals, the diary, clinical
notes and discharge. An episode opens when a family on the waiting list is allocated."""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from attune.care.codes import Attendance, ContactKind, DischargeReason, WorkerRole
from attune.core.models import BaseModel
from attune.referrals.models import DEFAULT_MAX_WEIGHTED_CASELOAD, EligibilityRules

if TYPE_CHECKING:
    from attune.accounts.models import User


class Intervention(BaseModel):
    """An intervention the service offers, with its weight in a practitioner's caseload
    (configurable: a weekly psychotherapy case weighs more than a short consultation)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    caseload_weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def team_default_maximum(on: dt.date) -> Subquery:
    """The default maximum weighted caseload in force on the day in the row's team's rules."""
    return Subquery(
        EligibilityRules.objects.filter(team_id=OuterRef("team_id"), effective_from__lte=on)
        .order_by("-effective_from")
        .values("default_max_weighted_caseload")[:1]
    )


class PractitionerCapacityQuerySet(models.QuerySet["PractitionerCapacity"]):
    def with_maximum(self, on: dt.date) -> "PractitionerCapacityQuerySet":
        """Annotates `maximum`: the person's own maximum weighted caseload, or where they have
        none the team's default in force on the day (the built-in default without rules)."""
        return self.annotate(
            maximum=Coalesce(
                "max_weighted_caseload",
                team_default_maximum(on),
                Value(DEFAULT_MAX_WEIGHTED_CASELOAD),
                output_field=DecimalField(max_digits=5, decimal_places=2),
            )
        )


class PractitionerCapacity(BaseModel):
    """How much work a practitioner takes in one team. Without a maximum of their own, the
    team's default maximum weighted caseload applies (`with_maximum`)."""

    team = models.ForeignKey("organisations.Team", on_delete=models.CASCADE, related_name="capacities")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="capacities")
    contracted_hours = models.DecimalField(max_digits=4, decimal_places=1, help_text="Hours a week")
    max_weighted_caseload = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    # with_maximum() annotates `maximum`: the one that applies (own, else the team default).
    objects = PractitionerCapacityQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "practitioner"], name="capacity_one_per_team")]

    def __str__(self) -> str:
        return f"{self.practitioner} in {self.team}"

    @property
    def limit(self) -> Decimal:
        """The maximum weighted caseload that applies: their own, else the team default that
        with_maximum() annotated."""
        found = getattr(self, "maximum", None)
        if found is None:
            if self.max_weighted_caseload is None:
                raise ValueError("Fetch capacity with with_maximum() to read the team default")
            return self.max_weighted_caseload
        return Decimal(found)


def _latest_event() -> Subquery:
    return Subquery(EpisodeEvent.objects.filter(episode=OuterRef("pk")).order_by("-at", "-id").values("kind")[:1])


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def with_state(self) -> "EpisodeQuerySet":
        """Annotates `last_event`: the latest row of the history, whose kind gives the state."""
        return self.annotate(last_event=_latest_event())

    def open(self) -> "EpisodeQuerySet":
        return self.with_state().exclude(last_event=EpisodeEvent.Kind.DISCHARGED)  # type: ignore[misc]

    def discharged(self) -> "EpisodeQuerySet":
        return self.with_state().filter(last_event=EpisodeEvent.Kind.DISCHARGED)  # type: ignore[misc]

    def on_caseload_of(self, practitioner: "User") -> "EpisodeQuerySet":
        return self.filter(workers__practitioner=practitioner, workers__ended_at__isnull=True).distinct()


class Episode(BaseModel):
    """An episode of care for one family, opened by allocating an accepted referral."""

    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="episode")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="episodes")
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="episodes")
    opened_at = models.DateTimeField()
    interventions = models.ManyToManyField(Intervention, related_name="episodes")
    infants = models.ManyToManyField("families.Infant", related_name="episodes", blank=True)
    carers = models.ManyToManyField("families.Carer", related_name="episodes", blank=True)
    planned_review_on = models.DateField(null=True, blank=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["opened_at"]

    def __str__(self) -> str:
        return f"Episode for {self.referral}"


class EpisodeEvent(models.Model):
    """The episode's history: allocated, transferred, discharged, reopened. Only ever added."""

    class Kind(models.TextChoices):
        ALLOCATED = "allocated", "Allocated"
        TRANSFERRED = "transferred", "Transferred"
        DISCHARGED = "discharged", "Discharged"
        REOPENED = "reopened", "Reopened"

    id = models.BigAutoField(primary_key=True)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["episode", "-at", "-id"], name="episode_event_latest_idx")]

    def __str__(self) -> str:
        return f"{self.episode_id} {self.kind}"


class EpisodeWorker(BaseModel):
    """Who works with the family, and from when to when (a transfer ends one and starts another)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="workers")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="episode_work")
    role = models.CharField(max_length=10, choices=WorkerRole.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "practitioner"], condition=Q(ended_at__isnull=True), name="one_current_role_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} ({self.role})"


class Discharge(BaseModel):
    """Why and when an episode closed, and the summary sent to the referrer and GP."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="discharges")
    reason = models.CharField(max_length=20, choices=DischargeReason.choices)
    summary = models.TextField()
    discharged_at = models.DateTimeField()
    discharged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopened_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-discharged_at"]
        # Reports count the episodes completed in a period.
        indexes = [models.Index(fields=["discharged_at"], name="discharge_at_idx")]

    def __str__(self) -> str:
        return f"{self.episode_id} discharged: {self.reason}"


class Goal(BaseModel):
    """A carer's goal for the work (up to three each), rated 0 to 10 over time (GBO)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="goals")
    carer = models.ForeignKey("families.Carer", on_delete=models.PROTECT, related_name="goals")
    description = models.CharField(max_length=300)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.description


class GoalRating(BaseModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    rated_on = models.DateField()
    score = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["rated_on", "created_at"]
        constraints = [models.CheckConstraint(condition=Q(score__lte=10), name="goal_rating_0_to_10")]

    def __str__(self) -> str:
        return f"{self.score} on {self.rated_on}"


class Room(BaseModel):
    site = models.ForeignKey("organisations.Site", on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="room_name_unique_per_site")]

    def __str__(self) -> str:
        return f"{self.name}, {self.site}"


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def overlapping(self, starts_at: object, ends_at: object) -> "AppointmentQuerySet":
        """Appointments that share any time with [starts_at, ends_at), cancellations aside."""
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(attendance__in=CANCELLED)


CANCELLED = [Attendance.CANCELLED_BY_FAMILY.value, Attendance.CANCELLED_BY_SERVICE.value]


class Appointment(BaseModel):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="appointments")
    kind = models.CharField(max_length=12, choices=ContactKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments")
    second_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="second_appointments"
    )
    site = models.ForeignKey("organisations.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments")
    # Blank until recorded: "0, appointment in the future" in the national code list.
    attendance = models.CharField(max_length=1, choices=Attendance.choices, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attended_infants = models.ManyToManyField("families.Infant", related_name="+", blank=True)
    attended_carers = models.ManyToManyField("families.Carer", related_name="+", blank=True)
    # Lone working on home visits.
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["practitioner", "starts_at"], name="appointment_diary_idx"),
            models.Index(fields=["room", "starts_at"], name="appointment_room_idx"),
            models.Index(fields=["episode", "starts_at"], name="appointment_episode_idx"),
            # Reports pick a period's contacts across a region's ten years by date.
            models.Index(fields=["starts_at"], name="appointment_starts_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.starts_at:%Y-%m-%d %H:%M}"


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class Note(BaseModel):
    """A clinical note for one contact. Signed notes are locked: only addenda can follow. A
    trainee's signed note waits for a supervisor's countersignature."""

    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="note")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes")
    body = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    needs_countersignature = models.BooleanField(default=False)
    countersigned_at = models.DateTimeField(null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note for {self.appointment}"

    @property
    def awaiting_countersignature(self) -> bool:
        return self.needs_countersignature and self.countersigned_at is None


class Addendum(BaseModel):
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum to {self.note_id}"
