"""Who pays for what: funding agreements from a funder to a recipient (a council to the ICB, the
ICB to the trust) for teams or posts over a period, and the staff cost of each post over time.
Money is Decimal in pounds and pence (DESIGN.md convention 1)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.core.models import BaseModel


class FundingAgreement(BaseModel):
    """Money from a funder to a recipient for a period, for the teams (and optionally the posts)
    it pays for. The demo's Blackburn with Darwen Council pays the ICB £60,371.25 for the
    satellite posts from 1 November 2024 to 31 March 2025."""

    funder = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="agreements_funded")
    recipient = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="agreements_received"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField()
    purpose = models.CharField(max_length=300)
    # The funder's own reference, such as a council's purchase order number.
    reference = models.CharField(max_length=100, blank=True)
    teams = models.ManyToManyField("organisations.Team", related_name="funding_agreements")
    posts = models.ManyToManyField("workforce.Post", blank=True, related_name="funding_agreements")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on", "funder__name"]
        indexes = [
            models.Index(fields=["funder", "starts_on"], name="agreement_funder_start_idx"),
            models.Index(fields=["recipient", "starts_on"], name="agreement_recipient_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="agreement_amount_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="agreement_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(funder=models.F("recipient")), name="agreement_funder_is_not_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} to {self.recipient}: {self.purpose}"


class PostCost(BaseModel):
    """A post's annual cost (salary plus employer's on-costs) from a date. The cost on a day is
    the latest row effective on or before it: a pay rise adds a row, so history is kept."""

    post = models.ForeignKey("workforce.Post", on_delete=models.PROTECT, related_name="costs")
    annual_cost = models.DecimalField(max_digits=10, decimal_places=2)
    effective_from = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["post", "effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(annual_cost__gte=0), name="post_cost_not_negative"),
            models.UniqueConstraint(fields=["post", "effective_from"], name="one_post_cost_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.post}: £{self.annual_cost} a year from {self.effective_from}"
