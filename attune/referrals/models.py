"""Referrals, their status history, and each team's eligibility rules."""

import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone

from attune.core.models import BaseModel
from attune.referrals import dated, eligibility, first_contact
from attune.referrals.codes import DeclineReason, LevelOfNeed, Priority, ReferralSource
from attune.referrals.workflow import OPEN, Status

# A team's triage target when it has set none: working days from receipt to a decision.
DEFAULT_TRIAGE_TARGET = 5
# Working days from receipt to the first attended contact, when the team has set none: for a
# routine referral (or one with no priority), and for urgent and soon ones.
DEFAULT_FIRST_CONTACT_TARGET = 20
DEFAULT_URGENT_FIRST_CONTACT_TARGET = 5
DEFAULT_SOON_FIRST_CONTACT_TARGET = 10
DEFAULT_FIRST_CONTACT_TARGETS = first_contact.PriorityTargets(
    urgent=DEFAULT_URGENT_FIRST_CONTACT_TARGET,
    soon=DEFAULT_SOON_FIRST_CONTACT_TARGET,
    routine=DEFAULT_FIRST_CONTACT_TARGET,
)
DEFAULT_MAX_WEIGHTED_CASELOAD = Decimal("12.00")
# Rules loaded before rules had dates, and a team's first rules, apply from here: every
# referral the service ever held was received after it.
SINCE_THE_START = date(1900, 1, 1)


class EligibilityRulesQuerySet(models.QuerySet["EligibilityRules"]):
    def in_force(self, on: date) -> "EligibilityRulesQuerySet":
        """Each team's rules in force on the day: the latest row that took effect by then."""
        later = EligibilityRules.objects.filter(
            team=OuterRef("team"), effective_from__lte=on, effective_from__gt=OuterRef("effective_from")
        )
        return self.filter(effective_from__lte=on).exclude(Exists(later))

    def for_team(self, team_id: uuid.UUID, on: date) -> "EligibilityRules | None":
        """The team's rules in force on the day, with their areas, or None (the defaults)."""
        return (
            self.filter(team_id=team_id, effective_from__lte=on)
            .prefetch_related("areas")
            .order_by("-effective_from")
            .first()
        )

    def history_of(self, team_id: uuid.UUID) -> list["RulesVersion"]:
        """The team's rules over time, oldest first: from when, the rules with their areas, the
        triage target and the first-contact targets. One query (a row for each area), for pages
        that count their queries."""
        found: dict[date, RulesVersion] = {}
        rows = (
            self.filter(team_id=team_id)
            .order_by("effective_from", "areas__name")
            .values_list(
                "effective_from",
                "max_age_years",
                "accepts_unborn",
                "antenatal_from_week",
                "expected_episode_weeks",
                "triage_target_working_days",
                "urgent_first_contact_target_working_days",
                "soon_first_contact_target_working_days",
                "first_contact_target_working_days",
                "areas__id",
                "areas__name",
            )
        )
        for day, max_age, unborn, from_week, weeks, target, urgent, soon, routine, area_id, area_name in rows:
            version = found.get(day) or RulesVersion(
                day,
                eligibility.Rules(max_age, unborn, weeks, from_week, {}),
                target,
                first_contact.PriorityTargets(urgent, soon, routine),
            )
            if area_id is not None:
                version.rules.areas[str(area_id)] = area_name
            found[day] = version
        return list(found.values())

    def triage_targets(self, team_ids: Iterable[uuid.UUID], *, on: date) -> dict[uuid.UUID, int]:
        """Each team's triage target in working days on the day (the default where a team has no rules)."""
        return self.target_history(team_ids).all_on(on)

    def target_history(self, team_ids: Iterable[uuid.UUID]) -> dated.Targets:
        """Every team's triage targets over time, in one query: the clock of each referral asks
        for the target in force on the day it was received."""
        wanted = set(team_ids)
        rows = self.filter(team_id__in=wanted).values_list("team_id", "effective_from", "triage_target_working_days")
        return dated.Targets.of(wanted, rows, default=DEFAULT_TRIAGE_TARGET)

    def first_contact_history(self, team_ids: Iterable[uuid.UUID]) -> first_contact.History:
        """Every team's first-contact targets by priority over time, in one query: a family on
        the waiting list is measured against its priority's target of the day it was accepted."""
        wanted = set(team_ids)
        rows = self.filter(team_id__in=wanted).values_list(
            "team_id",
            "effective_from",
            "urgent_first_contact_target_working_days",
            "soon_first_contact_target_working_days",
            "first_contact_target_working_days",
        )
        return first_contact.History.of(
            wanted,
            ((team_id, day, first_contact.PriorityTargets(*targets)) for team_id, day, *targets in rows),
            default=DEFAULT_FIRST_CONTACT_TARGETS,
        )


class RulesVersion(NamedTuple):
    """One version of a team's rules, as the triage pages read them (history_of)."""

    effective_from: date
    rules: eligibility.Rules
    triage_target: int
    first_contact_targets: first_contact.PriorityTargets


class EligibilityRules(BaseModel):
    """A team's criteria and settings from a day on: age range, the council areas it covers, its
    targets and capacity default. A change adds a row; the rules of a day are the latest row that
    took effect by then, so past referrals and reports keep the rules of their time."""

    team = models.ForeignKey("organisations.Team", on_delete=models.CASCADE, related_name="rules_history")
    effective_from = models.DateField(default=SINCE_THE_START)
    max_age_years = models.PositiveSmallIntegerField(default=5, help_text="Children are seen up to this birthday")
    accepts_unborn = models.BooleanField(default=True)
    # The week of pregnancy from which the team takes a referral (None: any time in pregnancy).
    antenatal_from_week = models.PositiveSmallIntegerField(null=True, blank=True)
    areas = models.ManyToManyField("organisations.Organisation", related_name="+", blank=True)
    triage_target_working_days = models.PositiveSmallIntegerField(default=DEFAULT_TRIAGE_TARGET)
    # The first-contact target of a routine referral (and of one with no priority); urgent and
    # soon referrals have their own, no longer than it (first_contact.order_problems).
    first_contact_target_working_days = models.PositiveSmallIntegerField(default=DEFAULT_FIRST_CONTACT_TARGET)
    urgent_first_contact_target_working_days = models.PositiveSmallIntegerField(
        default=DEFAULT_URGENT_FIRST_CONTACT_TARGET
    )
    soon_first_contact_target_working_days = models.PositiveSmallIntegerField(default=DEFAULT_SOON_FIRST_CONTACT_TARGET)
    expected_episode_weeks = models.PositiveSmallIntegerField(default=26)
    # What a new practitioner's maximum weighted caseload starts at in this team.
    default_max_weighted_caseload = models.DecimalField(
        max_digits=5, decimal_places=2, default=DEFAULT_MAX_WEIGHTED_CASELOAD
    )

    objects = EligibilityRulesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "eligibility rules"
        ordering = ["team", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["team", "effective_from"], name="eligibility_one_per_team_and_day")
        ]

    def __str__(self) -> str:
        return f"Eligibility for {self.team} from {self.effective_from}"

    @property
    def first_contact_targets(self) -> first_contact.PriorityTargets:
        return first_contact.PriorityTargets(
            urgent=self.urgent_first_contact_target_working_days,
            soon=self.soon_first_contact_target_working_days,
            routine=self.first_contact_target_working_days,
        )


class ReferralKind(models.TextChoices):
    PROFESSIONAL = "professional", "From a professional"
    SELF = "self", "Self-referral by a parent or carer"


STATUS_CHOICES = [(s.value, s.label) for s in Status]


class ReferralQuerySet(models.QuerySet["Referral"]):
    def with_status(self) -> "ReferralQuerySet":
        """Annotates `current_status`: the status column, which is the latest row of the history."""
        return self.annotate(current_status=F("status"))

    def awaiting_triage(self) -> "ReferralQuerySet":
        return self.filter(status__in=[s.value for s in OPEN]).with_status()

    def sync_status(self) -> int:
        """Sets each referral's `status` and `status_at` from the latest row of its history, in
        one UPDATE: for a loader that wrote the history in bulk or moved its times (the demo
        puts its histories on its own dates). The actions keep the columns as they append
        (services.append_status), so they never need it."""
        latest = ReferralStatus.objects.filter(referral=OuterRef("pk")).order_by("-entered_at", "-id")
        return self.update(
            status=Subquery(latest.values("status")[:1]),
            status_at=Subquery(latest.values("entered_at")[:1]),
            updated_at=timezone.now(),
        )


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
    # The latest row of the history and when it was entered, kept on the row so that the inbox,
    # the waiting list and search filter on a column rather than a subquery per referral (issue
    # 18). Written only with the history row, in the same transaction (services.append_status);
    # the history stays the record (ADR 0017).
    status = models.CharField(max_length=24, choices=STATUS_CHOICES)
    status_at = models.DateTimeField()

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["received_at"]
        indexes = [
            models.Index(fields=["team", "received_at"], name="referral_team_received_idx"),
            # A team's inbox (open statuses, oldest first) and its waiting list (accepted).
            models.Index(fields=["team", "status", "received_at"], name="referral_team_status_idx"),
            # Kept reports look for referrals changed since they were worked out (reports/snapshots.py).
            models.Index(fields=["updated_at"], name="referral_changed_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class ReferralStatus(models.Model):
    """One move in a referral's life. Rows are only ever added."""

    id = models.BigAutoField(primary_key=True)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=24, choices=STATUS_CHOICES)
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
