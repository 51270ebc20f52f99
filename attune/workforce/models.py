"""Recruit-to-train plans (evidence and sign-off against a competency framework held as data),
posts with contract dates, and consultation and training given to the wider workforce."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from attune.core.models import BaseModel


class TrainingPlan(BaseModel):
    """One trainee's programme. The competencies come from the framework named by its code
    (attune/workforce/frameworks/<code>.toml); supervised hours are derived, never typed."""

    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_plans")
    # The team the trainee trains in: its supervisors and team leads can see the plan.
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="training_plans")
    programme = models.CharField(max_length=200)
    course_provider = models.CharField(max_length=200)
    started_on = models.DateField()
    expected_qualification_on = models.DateField()
    framework_code = models.CharField(max_length=40)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_plans_supervised"
    )

    class Meta:
        ordering = ["started_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_qualification_on__gt=models.F("started_on")),
                name="training_plan_qualifies_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} ({self.trainee})"


class EvidenceKind(models.TextChoices):
    OBSERVED_SESSION = "observed_session", "Observed session"
    CASE_DISCUSSION = "case_discussion", "Case discussion"
    COURSE_WORK = "course_work", "Course work"


class Evidence(BaseModel):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="evidence")
    competency_code = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    dated_on = models.DateField()
    description = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["dated_on", "created_at"]
        indexes = [models.Index(fields=["plan", "competency_code"], name="evidence_plan_competency_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.competency_code}"


class SignOff(BaseModel):
    """A supervisor's sign-off of one competency: once per plan and competency."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="sign_offs")
    competency_code = models.CharField(max_length=20)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField()
    comment = models.TextField()

    class Meta:
        ordering = ["signed_on", "created_at"]
        constraints = [models.UniqueConstraint(fields=["plan", "competency_code"], name="one_sign_off_per_competency")]

    def __str__(self) -> str:
        return f"{self.competency_code} signed off on {self.signed_on}"


class Post(BaseModel):
    """A funded post in a team with its contract dates: the team lead is warned before it ends."""

    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(max_length=200)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="posts_held"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    funded_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="post_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActivityKind(models.TextChoices):
    CONSULTATION = "consultation", "Consultation"
    TRAINING = "training", "Training"


class NonCaseloadActivity(BaseModel):
    """Consultation or training given to other professionals (family hub staff, health visitors)."""

    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="non_caseload_activities")
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    held_on = models.DateField()
    audience = models.CharField(max_length=200)
    attendees = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(500)])
    topic = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["team", "-held_on"], name="activity_team_held_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic}"
