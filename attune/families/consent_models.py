"""Consent and information sharing, per person (the models; the actions are in consent.py).

Each decision is a row that is never overwritten: a new decision about the same person and
purpose (and agency, for sharing with another agency) supersedes the old one, which stays as
history (DESIGN.md convention 3). The current decision is the latest row. Withdrawal is
recorded on the row it withdraws, and takes effect at once."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.core.models import BaseModel

__all__ = ["Consent", "ConsentDecision", "ConsentHow", "ConsentPurpose", "ConsentQuerySet"]


class ConsentPurpose(models.TextChoices):
    # Other parts of the system (contact routes, video recordings) code against these values.
    ASSESSMENT_TREATMENT = "assessment_treatment", "Assessment and treatment"
    CONTACT_TEXT = "contact_text", "Contact by text message"
    CONTACT_EMAIL = "contact_email", "Contact by email"
    CONTACT_LETTER = "contact_letter", "Contact by letter"
    SHARE_GP = "share_gp", "Share with their GP"
    SHARE_HEALTH_VISITOR = "share_health_visitor", "Share with their health visitor"
    SHARE_SOCIAL_CARE = "share_social_care", "Share with children's social care"
    SHARE_OTHER = "share_other", "Share with another agency"
    VIDEO_RECORDING = "video_recording", "Video recording of sessions"
    VIDEO_SUPERVISION = "video_supervision", "Use of recordings in clinical supervision"
    VIDEO_TRAINING = "video_training", "Use of recordings in training"
    RESEARCH = "research", "Research"


class ConsentDecision(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"


class ConsentHow(models.TextChoices):
    SPOKEN = "spoken", "Spoken"
    WRITTEN = "written", "Written"
    OWN_PHONE = "own_phone", "On the parent's own phone"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def of_people(self, infant_ids: list[object], carer_ids: list[object]) -> "ConsentQuerySet":
        return self.filter(Q(infant_id__in=infant_ids) | Q(carer_id__in=carer_ids))


class Consent(BaseModel):
    """One decision by (or, for a baby, on behalf of) one person about one purpose."""

    # The family the person belongs to, so the family's scope covers it (and a merge moves it).
    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="consents")
    # Exactly one of these: whose decision it is.
    infant = models.ForeignKey(
        "families.Infant", null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    carer = models.ForeignKey(
        "families.Carer", null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(max_length=30, choices=ConsentPurpose.choices)
    # Which agency, for sharing with another agency; blank for every other purpose.
    agency = models.CharField(max_length=200, blank=True)
    decision = models.CharField(max_length=10, choices=ConsentDecision.choices)
    how = models.CharField(max_length=10, choices=ConsentHow.choices)
    # For a baby: the carer with parental responsibility who decided for them.
    # RESTRICT, not PROTECT: the carer cannot be deleted alone, but the family (with both) can.
    given_by = models.ForeignKey("families.Carer", null=True, blank=True, on_delete=models.RESTRICT, related_name="+")
    # The member of staff who recorded it; none when the parent recorded it on their own phone.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_on = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_how = models.CharField(max_length=10, choices=ConsentHow.choices, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["family", "created_at"], name="consent_family_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(infant__isnull=False) & Q(carer__isnull=True))
                | (Q(infant__isnull=True) & Q(carer__isnull=False)),
                name="consent_one_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_decision_display()}"

    @property
    def person_id(self) -> object:
        return self.infant_id if self.infant_id is not None else self.carer_id

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_given(self) -> bool:
        """Given and still standing (not withdrawn)."""
        return self.decision == ConsentDecision.GIVEN and self.withdrawn_at is None

    @property
    def status(self) -> str:
        """'Given', 'Refused' or 'Withdrawn', as the pages show it."""
        if self.withdrawn_at is not None:
            return "Withdrawn"
        return self.get_decision_display()

    @property
    def purpose_text(self) -> str:
        label = self.get_purpose_display()
        return f"{label}: {self.agency}" if self.agency else label
