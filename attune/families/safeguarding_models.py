"""Safeguarding referrals to children's social care (the models; the actions are in safeguarding.py).

A referral is about one child of the family, born or not yet born. Its outcome is history, not a
field (DESIGN.md convention 3): each decision the council makes is a status row with who recorded
it, when and why, and the current outcome is the latest row. Strategy meetings and conferences
belong to the referral, each with a task for the referrer before it."""

from django.conf import settings
from django.db import models

from attune.core.models import BaseModel

__all__ = [
    "MeetingKind",
    "ReferralOutcome",
    "SafeguardingMeeting",
    "SafeguardingReferral",
    "SafeguardingReferralQuerySet",
    "SafeguardingReferralStatus",
]


class ReferralOutcome(models.TextChoices):
    """What children's social care decided (Working Together to Safeguard Children 2023)."""

    AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need (section 17)"
    SECTION_47 = "section_47", "Child protection enquiry (section 47)"
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked after"
    CLOSED = "closed", "Closed"


class MeetingKind(models.TextChoices):
    STRATEGY = "strategy", "Strategy meeting"
    INITIAL_CONFERENCE = "initial_conference", "Initial child protection conference"
    REVIEW_CONFERENCE = "review_conference", "Review child protection conference"
    CORE_GROUP = "core_group", "Core group meeting"
    CHILD_IN_NEED = "child_in_need", "Child in need meeting"
    OTHER = "other", "Other meeting"


class SafeguardingReferralQuerySet(models.QuerySet["SafeguardingReferral"]):
    def with_current_status(self) -> "SafeguardingReferralQuerySet":
        """Each referral with its current outcome and the date it took effect (the latest status
        row), as two subqueries, so a list or the banner reads them in the same query."""
        latest = SafeguardingReferralStatus.objects.filter(referral=models.OuterRef("pk")).order_by(
            "-decided_on", "-created_at"
        )
        return self.annotate(
            current_status=models.Subquery(latest.values("status")[:1]),
            current_since=models.Subquery(latest.values("decided_on")[:1]),
        )

    def open(self) -> "SafeguardingReferralQuerySet":
        return self.with_current_status().filter(~models.Q(current_status=ReferralOutcome.CLOSED))


class SafeguardingReferral(BaseModel):
    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="safeguarding_referrals")
    # The child it is about: the same Infant record before and after birth (families.services
    # record_birth keeps it), so a pre-birth referral follows the baby.
    infant = models.ForeignKey("families.Infant", on_delete=models.PROTECT, related_name="safeguarding_referrals")
    concern = models.TextField()
    referred_on = models.DateField()
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The council's own reference, often known only days later.
    council_reference = models.CharField(max_length=50, blank=True)
    # Kept as they were on the referral date: the baby's birth later changes the Infant record,
    # not the fact that the referral was made before birth, nor the timescales it set.
    pre_birth = models.BooleanField(default=False)
    due_date = models.DateField(null=True, blank=True)
    pregnancy_week = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = SafeguardingReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-created_at"]
        indexes = [models.Index(fields=["family", "referred_on"], name="sg_referral_family_idx")]

    def __str__(self) -> str:
        return f"Safeguarding referral {self.referred_on:%Y-%m-%d}"


class SafeguardingReferralStatus(BaseModel):
    """One outcome of the referral, appended, never changed."""

    referral = models.ForeignKey(SafeguardingReferral, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(max_length=30, choices=ReferralOutcome.choices)
    # The day the decision took effect (told by the council), which may be before it was recorded.
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["decided_on", "created_at"]
        indexes = [models.Index(fields=["referral", "decided_on"], name="sg_status_latest_idx")]

    def __str__(self) -> str:
        return self.get_status_display()


class SafeguardingMeeting(BaseModel):
    """A strategy meeting, conference or other meeting about the referral."""

    referral = models.ForeignKey(SafeguardingReferral, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    starts_at = models.DateTimeField()
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True, help_text="Where, who is invited, what to bring")
    held_at = models.DateTimeField(null=True, blank=True)
    held_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attendance = models.TextField(blank=True)
    outcome_notes = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["starts_at", "created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_upcoming(self) -> bool:
        return self.held_at is None and self.cancelled_at is None
