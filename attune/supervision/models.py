"""Clinical supervision: sessions, who attended, families discussed, actions agreed, the
experience and hours that set how much supervision each practitioner needs, and each service's
supervision standard from a day on."""

import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from attune.core.models import BaseModel
from attune.referrals.models import SINCE_THE_START
from attune.supervision import standard


class SessionKind(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GROUP = "group", "Group"


class SessionFormat(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video"


class SupervisionSessionQuerySet(models.QuerySet["SupervisionSession"]):
    def involving(self, user: Any) -> "SupervisionSessionQuerySet":
        """Sessions the person gave or attended."""
        return self.filter(models.Q(supervisor=user) | models.Q(attendees__supervisee=user)).distinct()


class SupervisionSession(BaseModel):
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_given")
    kind = models.CharField(max_length=16, choices=SessionKind.choices)
    format = models.CharField(max_length=16, choices=SessionFormat.choices)
    held_on = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(15), MaxValueValidator(240)])
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = SupervisionSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["supervisor", "-held_on"], name="supervision_given_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} supervision on {self.held_on:%Y-%m-%d}"


class SessionAttendee(BaseModel):
    """One supervisee present at a session."""

    session = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE, related_name="attendees")
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_received"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "supervisee"], name="one_attendance_per_supervisee")]

    def __str__(self) -> str:
        return f"{self.supervisee} at {self.session}"


class ClinicalExperience(BaseModel):
    """What drives a practitioner's required supervision frequency."""

    practitioner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinical_experience"
    )
    # The start of their experience with under-2s: under 3 years means weekly supervision.
    under_twos_experience_since = models.DateField()
    # Contracted hours a week; supervision is pro rata against 37.5.
    weekly_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("37.5"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("99.9"))],
    )

    def __str__(self) -> str:
        return f"{self.practitioner}: since {self.under_twos_experience_since}, {self.weekly_hours}h"


class CaseDiscussion(BaseModel):
    """A family discussed in a session, linked through its episode so only people who may see the
    family see that it was discussed."""

    session = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE, related_name="discussions")
    episode = models.ForeignKey("care.Episode", on_delete=models.PROTECT, related_name="supervision_discussions")
    summary = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "episode"], name="one_discussion_per_episode")]

    def __str__(self) -> str:
        return f"Episode {self.episode_id} discussed at {self.session}"


class SupervisionActionQuerySet(models.QuerySet["SupervisionAction"]):
    def open(self) -> "SupervisionActionQuerySet":
        return self.filter(done_at__isnull=True)


class SupervisionAction(BaseModel):
    session = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_actions")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_note = models.TextField(blank=True)

    objects = SupervisionActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class NoteReturnQuerySet(models.QuerySet["NoteReturn"]):
    def unanswered(self) -> "NoteReturnQuerySet":
        return self.filter(answered_at__isnull=True)


class NoteReturn(BaseModel):
    """A supervisor sent a trainee's signed note back with comments instead of countersigning it.
    The note stays signed and locked; the trainee answers with an addendum, and the note goes back
    to the supervisors for countersigning. Kept as history: who returned it, when, and why."""

    note = models.ForeignKey("care.Note", on_delete=models.PROTECT, related_name="returns")
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField()
    comments = models.TextField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.OneToOneField(
        "care.Addendum", null=True, blank=True, on_delete=models.PROTECT, related_name="answers_return"
    )

    objects = NoteReturnQuerySet.as_manager()

    class Meta:
        ordering = ["returned_at", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["note"], condition=models.Q(answered_at__isnull=True), name="one_open_return_per_note"
            )
        ]

    def __str__(self) -> str:
        return f"Note {self.note_id} returned at {self.returned_at:%Y-%m-%d %H:%M}"


# The Standard's fields, in its order: the columns a row holds.
STANDARD_FIELDS = (
    "minutes_per_period",
    "full_time_hours",
    "experienced_after_years",
    "less_experienced_period",
    "experienced_period",
)


class SupervisionStandardSettingQuerySet(models.QuerySet["SupervisionStandardSetting"]):
    def in_force(self, service_id: uuid.UUID, on: date) -> standard.Standard:
        """The service's standard on the day: the latest change made by then, or the
        Parent-Infant Foundation standard before the first. One query."""
        row = self.filter(service_id=service_id, effective_from__lte=on).order_by("-effective_from").first()
        return row.as_standard() if row is not None else standard.PARENT_INFANT_FOUNDATION

    def history(self, service_ids: Iterable[uuid.UUID] | models.QuerySet[Any]) -> standard.History:
        """Each service's standard over time, in one query (`service_ids` may be a subquery), so
        a report asks for the standard in force on each week it counts without a query each."""
        rows = self.filter(service_id__in=service_ids).values_list("service_id", "effective_from", *STANDARD_FIELDS)
        return standard.History.of(
            ((service_id, day, standard.Standard(*values)) for service_id, day, *values in rows),
            default=standard.PARENT_INFANT_FOUNDATION,
        )

    def history_of(self, service_id: uuid.UUID) -> list["SupervisionStandardSetting"]:
        """Every change of the service's standard, oldest first."""
        return list(self.filter(service_id=service_id).order_by("effective_from"))


class SupervisionPeriod(models.IntegerChoices):
    WEEK = standard.WEEK, "Every week"
    FORTNIGHT = standard.FORTNIGHT, "Every fortnight"


class SupervisionStandardSetting(BaseModel):
    """A service's supervision standard from a day on. A change adds a row; the standard of a day
    is the latest row that took effect by then (the Parent-Infant Foundation standard before the
    first), so last year's report keeps last year's standard. Written by
    services.change_supervision_standard, which audits each change."""

    service = models.ForeignKey("organisations.Service", on_delete=models.CASCADE, related_name="supervision_standards")
    effective_from = models.DateField(default=SINCE_THE_START)
    minutes_per_period = models.PositiveSmallIntegerField()
    full_time_hours = models.DecimalField(max_digits=3, decimal_places=1)
    experienced_after_years = models.PositiveSmallIntegerField()
    less_experienced_period = models.PositiveSmallIntegerField(choices=SupervisionPeriod.choices)
    experienced_period = models.PositiveSmallIntegerField(choices=SupervisionPeriod.choices)

    objects = SupervisionStandardSettingQuerySet.as_manager()

    class Meta:
        ordering = ["service", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["service", "effective_from"], name="supervision_standard_one_per_day")
        ]

    def __str__(self) -> str:
        return f"Supervision standard for {self.service_id} from {self.effective_from}"

    def as_standard(self) -> standard.Standard:
        return standard.Standard(*(getattr(self, name) for name in STANDARD_FIELDS))
