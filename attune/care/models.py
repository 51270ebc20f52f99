"""The care pathway: capacity, episodes of care and who works them, goals, the diary, clinical
notes and discharge. An episode opens when a family on the waiting list is allocated."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from attune.care.codes import (
    ActivityLocationType,
    Attendance,
    ConsultationMechanism,
    ContactKind,
    DischargeReason,
    ProfessionalRole,
    WorkerRole,
)
from attune.core.models import BaseModel
from attune.referrals.models import DEFAULT_MAX_WEIGHTED_CASELOAD, EligibilityRules

if TYPE_CHECKING:
    from attune.accounts.models import User


WEIGHT_FIELD: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=4, decimal_places=2)
# The lightest and heaviest weights a service may set: a quarter of a standard case (a
# consultation with the family's professionals) to five (intensive work several times a week).
MIN_WEIGHT, MAX_WEIGHT = Decimal("0.25"), Decimal("5.00")
CENT = Decimal("0.01")
# An episode with no intervention weighs this much.
DEFAULT_EPISODE_WEIGHT = Decimal("1.00")


def weight_in_force(*, service: Any, intervention: Any, on: dt.date) -> Subquery:
    """The weight a service set for an intervention that is in force on the day: the latest change
    that took effect by then, or NULL before the first (the caller falls back to the installation's
    starting weight). `service` and `intervention` are ids or OuterRef()s."""
    return Subquery(
        InterventionWeight.objects.filter(service_id=service, intervention_id=intervention, effective_from__lte=on)
        .order_by("-effective_from")
        .values("weight")[:1],
        output_field=WEIGHT_FIELD,
    )


class InterventionQuerySet(models.QuerySet["Intervention"]):
    def with_weight(self, service_id: Any, on: dt.date) -> "InterventionQuerySet":
        """Annotates `weight`: the intervention's weight in the service on the day (the latest
        change by then, else its starting weight), in the same query."""
        return self.annotate(
            weight=Coalesce(
                weight_in_force(service=service_id, intervention=OuterRef("pk"), on=on),
                F("caseload_weight"),
                output_field=WEIGHT_FIELD,
            )
        )


class Intervention(BaseModel):
    """An intervention the service offers, with its weight in a practitioner's caseload (a weekly
    psychotherapy case weighs more than a short consultation). `caseload_weight` is the
    installation's starting weight and is never changed: each service changes its weights from a
    day on (InterventionWeight), so figures of a day before a change keep the weight of their day."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    caseload_weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    active = models.BooleanField(default=True)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InterventionWeightQuerySet(models.QuerySet["InterventionWeight"]):
    def in_force(self, service_id: Any, on: dt.date) -> dict[uuid.UUID, Decimal]:
        """Every intervention's weight in the service on the day, by intervention id: the latest
        change that took effect by then, else the starting weight. One query."""
        weighed = Intervention.objects.with_weight(service_id, on).order_by()
        rows = weighed.values_list("pk", "weight")  # type: ignore[misc]
        # SQLite hands back an expression's decimal as it was stored (2, not 2.00).
        return {pk: Decimal(weight).quantize(CENT) for pk, weight in rows}

    def history_of(self, service_id: Any) -> "InterventionWeightQuerySet":
        """The service's changes, newest first, each with its intervention (one query)."""
        return (
            self.filter(service_id=service_id)
            .select_related("intervention")
            .order_by("-effective_from", "intervention__name", "intervention_id")
        )


class InterventionWeight(BaseModel):
    """A service's caseload weight for an intervention from a day on. A change adds a row (or
    corrects the row of the same day); the weight of a day is the latest row that took effect by
    then, and with no row yet the intervention's starting weight. Allocation reads today's; a
    report reads its own as-at day's, so a changed weight does not rewrite last year's figures."""

    service = models.ForeignKey("organisations.Service", on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="weights")
    weight = models.DecimalField(max_digits=4, decimal_places=2)
    effective_from = models.DateField()

    objects = InterventionWeightQuerySet.as_manager()

    class Meta:
        ordering = ["service", "intervention", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "intervention", "effective_from"], name="intervention_weight_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=MIN_WEIGHT, weight__lte=MAX_WEIGHT),
                name="intervention_weight_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id} weighs {self.weight} in {self.service_id} from {self.effective_from}"


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


def episode_weight_on(on: dt.date) -> Subquery:
    """For a query of episodes: the episode's weight on the day, its heaviest intervention's
    weight in force then in its team's service (NULL with no intervention: DEFAULT_EPISODE_WEIGHT).
    A subquery, so a report weighs every episode in the query it counts them with."""
    through = Episode.interventions.through
    weight = Coalesce(
        weight_in_force(service=OuterRef("episode__team__service_id"), intervention=OuterRef("intervention_id"), on=on),
        F("intervention__caseload_weight"),
        output_field=WEIGHT_FIELD,
    )
    return Subquery(
        through.objects.filter(episode_id=OuterRef("pk"))
        .annotate(weight=weight)
        .order_by("-weight")
        .values("weight")[:1],  # type: ignore[misc]
        output_field=WEIGHT_FIELD,
    )


class EventKind(models.TextChoices):
    """What happened to an episode (EpisodeEvent.Kind)."""

    ALLOCATED = "allocated", "Allocated"
    TRANSFERRED = "transferred", "Transferred"
    DISCHARGED = "discharged", "Discharged"
    REOPENED = "reopened", "Reopened"


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def with_weight(self, on: dt.date) -> "EpisodeQuerySet":
        """Annotates `weight`: the episode's weight on the day (episode_weight_on)."""
        return self.annotate(weight=episode_weight_on(on))

    def with_state(self) -> "EpisodeQuerySet":
        """Annotates `last_event`: the kind of the latest row of the history (the column that
        keeps it), which gives the state."""
        return self.annotate(last_event=F("last_event_kind"))

    def open(self) -> "EpisodeQuerySet":
        return self.exclude(last_event_kind=EventKind.DISCHARGED).with_state()

    def discharged(self) -> "EpisodeQuerySet":
        return self.filter(last_event_kind=EventKind.DISCHARGED).with_state()

    def sync_last_event(self) -> int:
        """Sets each episode's `last_event_kind` and `last_event_at` from the latest row of its
        history, in one UPDATE: for a loader that wrote the history in bulk or moved its times.
        The actions keep the columns as they append (services.append_event)."""
        latest = EpisodeEvent.objects.filter(episode=OuterRef("pk")).order_by("-at", "-id")
        return self.update(
            last_event_kind=Subquery(latest.values("kind")[:1]),
            last_event_at=Subquery(latest.values("at")[:1]),
            updated_at=timezone.now(),
        )

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
    # The kind and time of the latest row of the history, kept on the row so that caseloads and
    # "open" filter on a column rather than a subquery per episode (issue 18). Written only with
    # the history row, in the same transaction (services.append_event); the history stays the
    # record (ADR 0017).
    last_event_kind = models.CharField(max_length=12, choices=EventKind.choices)
    last_event_at = models.DateTimeField()

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["opened_at"]
        indexes = [
            # A team's open (or discharged) episodes: caseloads, the team lead's overview.
            models.Index(fields=["team", "last_event_kind"], name="episode_team_state_idx"),
            # Kept reports look for episodes changed since they were worked out (reports/snapshots.py).
            models.Index(fields=["updated_at"], name="episode_changed_idx"),
        ]

    def __str__(self) -> str:
        return f"Episode for {self.referral}"


class EpisodeEvent(models.Model):
    """The episode's history: allocated, transferred, discharged, reopened. Only ever added."""

    Kind = EventKind

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
        indexes = [models.Index(fields=["updated_at"], name="episode_worker_changed_idx")]  # reports/snapshots.py
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
        indexes = [
            models.Index(fields=["discharged_at"], name="discharge_at_idx"),
            models.Index(fields=["updated_at"], name="discharge_changed_idx"),  # reports/snapshots.py
        ]

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


# Booking refuses anything longer (services.book_appointment), so an appointment that reaches into
# a period started at most this long before it.
LONGEST_APPOINTMENT = dt.timedelta(hours=8)


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def during(self, starts_at: dt.datetime, ends_at: dt.datetime) -> "AppointmentQuerySet":
        """Appointments that share any time with [starts_at, ends_at). The start is bounded on both
        sides so that an index on (practitioner or room, starts_at) reads the period, not ten
        years of a person's diary filtered on `ends_at` (issue 18)."""
        return self.filter(starts_at__lt=ends_at, starts_at__gt=starts_at - LONGEST_APPOINTMENT, ends_at__gt=starts_at)

    def overlapping(self, starts_at: dt.datetime, ends_at: dt.datetime) -> "AppointmentQuerySet":
        """Appointments that share any time with [starts_at, ends_at), cancellations aside."""
        return self.during(starts_at, ends_at).exclude(attendance__in=CANCELLED)


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
    # What the Mental Health Services Data Set needs of each contact (care.codes; ADR 0022):
    # offered from the kind of contact and recorded with attendance, when the practitioner may
    # change them. An attended contact always has a mechanism (services.record_attendance).
    consultation_mechanism = models.CharField(max_length=2, choices=ConsultationMechanism.choices, blank=True)
    activity_location_type = models.CharField(max_length=3, choices=ActivityLocationType.choices, blank=True)
    professional_role = models.CharField(max_length=20, choices=ProfessionalRole.choices, blank=True)
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
            # Kept reports look for contacts changed since they were worked out (reports/snapshots.py).
            models.Index(fields=["updated_at"], name="appointment_changed_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"),
            # National perinatal access counts only attended contacts whose mechanism is known
            # (domain reference G.1): an attended contact always says how it was held.
            models.CheckConstraint(
                condition=~Q(attendance__in=("5", "6")) | ~Q(consultation_mechanism=""),
                name="attended_contact_has_mechanism",
            ),
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


class InterpreterMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    VIDEO = "video", "By video"


class InterpreterBookingQuerySet(models.QuerySet["InterpreterBooking"]):
    def active(self) -> "InterpreterBookingQuerySet":
        return self.filter(cancelled_at__isnull=True)

    def confirmed(self) -> "InterpreterBookingQuerySet":
        return self.active().filter(confirmed_at__isnull=False)


class InterpreterBooking(BaseModel):
    """A professional interpreter booked for an appointment (domain reference G.4): never a family
    member, friend or child, which the person booking confirms. Booked, then confirmed by the
    service or agency; a cancelled booking is kept (who, when, why) and another may be made."""

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="interpreter_bookings")
    # Whom the interpreter is for (usually the carer who needs one); null if they left the record.
    carer = models.ForeignKey("families.Carer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=100)
    dialect = models.CharField(max_length=100, blank=True)
    provider = models.CharField(max_length=200, help_text="The interpreting service or agency, or the interpreter")
    mode = models.CharField(max_length=10, choices=InterpreterMode.choices, default=InterpreterMode.IN_PERSON)
    reference = models.CharField(max_length=100, blank=True, help_text="The agency's booking reference")
    # The person booking confirmed the interpreter is a professional, not family or a friend.
    professional_confirmed = models.BooleanField(default=False)
    booked_at = models.DateTimeField()
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(max_length=500, blank=True)

    objects = InterpreterBookingQuerySet.as_manager()

    class Meta:
        ordering = ["booked_at"]
        constraints = [
            # One booking in force per appointment, even with two people booking at once.
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(cancelled_at__isnull=True),
                name="one_active_interpreter_per_appointment",
            ),
            models.CheckConstraint(condition=Q(professional_confirmed=True), name="interpreter_is_professional"),
        ]

    def __str__(self) -> str:
        return f"{self.language} interpreter for {self.appointment}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None and self.cancelled_at is None
