"""Referrals, their status history, and each team's eligibility rules."""

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery

from attune.core.models import BaseModel
from attune.referrals.codes import DeclineReason, LevelOfNeed, Priority, ReferralSource
from attune.referrals.workflow import OPEN, Status

# A team's triage target when it has set none: working days from receipt to a decision.
DEFAULT_TRIAGE_TARGET = 5


class EligibilityRulesQuerySet(models.QuerySet["EligibilityRules"]):
    def triage_targets(self, team_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
        """Each team's triage target in working days (the default where a team has no rules)."""
        wanted = set(team_ids)
        stored = dict(self.filter(team_id__in=wanted).values_list("team_id", "triage_target_working_days"))
        return {team_id: stored.get(team_id, DEFAULT_TRIAGE_TARGET) for team_id in wanted}


class EligibilityRules(BaseModel):
    """A team's criteria: age range, the council areas it covers, its triage target."""

    team = models.OneToOneField("organisations.Team", on_delete=models.CASCADE, related_name="eligibility")
    max_age_years = models.PositiveSmallIntegerField(default=5, help_text="Children are seen up to this birthday")
    accepts_unborn = models.BooleanField(default=True)
    areas = models.ManyToManyField("organisations.Organisation", related_name="+", blank=True)
    triage_target_working_days = models.PositiveSmallIntegerField(default=DEFAULT_TRIAGE_TARGET)
    expected_episode_weeks = models.PositiveSmallIntegerField(default=26)

    objects = EligibilityRulesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "eligibility rules"

    def __str__(self) -> str:
        return f"Eligibility for {self.team}"


class ReferralKind(models.TextChoices):
    PROFESSIONAL = "professional", "From a professional"
    SELF = "self", "Self-referral by a parent or carer"


def _latest_status() -> Subquery:
    return Subquery(
        ReferralStatus.objects.filter(referral=OuterRef("pk")).order_by("-entered_at", "-id").values("status")[:1]
    )


class ReferralQuerySet(models.QuerySet["Referral"]):
    def with_status(self) -> "ReferralQuerySet":
        """Annotates `current_status`: the latest row of the history, in one query."""
        return self.annotate(current_status=_latest_status())

    def awaiting_triage(self) -> "ReferralQuerySet":
        return self.with_status().filter(current_status__in=[s.value for s in OPEN])  # type: ignore[misc]


class Referral(BaseModel):
    reference = models.CharField(max_length=16, unique=True)
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="referrals")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=12, choices=ReferralKind.choices)
    source = models.CharField(max_length=2, choices=ReferralSource.choices)
    received_at = models.DateTimeField()
    referrer_name = models.CharField(max_length=200)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_email = models.EmailField(max_length=254, blank=True)
    referrer_phone = models.CharField(max_length=20, blank=True)
    reason = models.TextField(help_text="In the referrer's words")
    stresses = models.JSONField(default=list)
    safeguarding_known = models.JSONField(default=list)
    other_professionals = models.TextField(blank=True)
    consent_given = models.BooleanField()
    # Set at triage.
    level_of_need = models.CharField(max_length=12, choices=LevelOfNeed.choices, blank=True)
    priority = models.CharField(max_length=8, choices=Priority.choices, blank=True)
    signposted_to = models.CharField(max_length=300, blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    # Exactly what was submitted, as the referrer saw it on the check-your-answers page.
    submitted = models.JSONField(default=dict)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["received_at"]
        indexes = [models.Index(fields=["team", "received_at"], name="referral_team_received_idx")]

    def __str__(self) -> str:
        return self.reference


class ReferralStatus(models.Model):
    """One move in a referral's life. Rows are only ever added."""

    id = models.BigAutoField(primary_key=True)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=24, choices=[(s.value, s.label) for s in Status])
    entered_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["entered_at", "id"]
        indexes = [
            models.Index(fields=["referral", "-entered_at", "-id"], name="referral_status_latest_idx"),
            # Reports find the triage decisions made in a period.
            models.Index(fields=["status", "entered_at"], name="referral_status_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status}"

    @property
    def state(self) -> Status:
        return Status(self.status)
