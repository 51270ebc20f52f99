"""A family is one unit of care: the infant(s), their parents and carers, and their household.
Each person keeps their own identifiers. Safeguarding flags belong to the family and show on
every page of it."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.core import links
from attune.core.models import BaseModel
from attune.families.codes import (
    ContactPreference,
    EthnicCategory,
    NhsNumberStatus,
    ParentalResponsibility,
    Relationship,
    SafeguardingKind,
)


class FamilyQuerySet(models.QuerySet["Family"]):
    def current(self) -> "FamilyQuerySet":
        """Families that have not been merged into another record."""
        return self.filter(merged_into__isnull=True)

    def with_people(self) -> "FamilyQuerySet":
        return self.prefetch_related("infants", "carers")


class Family(BaseModel):
    # The team responsible for the family now (a transfer moves it).
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="families")
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    local_authority = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(max_length=100, blank=True, help_text="The language the family prefers")
    interpreter_needed = models.BooleanField(default=False)
    gp_practice = models.CharField(max_length=200, blank=True)
    # Where the family would rather be seen, for the waiting list and booking.
    preferred_site = models.ForeignKey(
        "organisations.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when this record was merged into another (the merge can be undone).
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "families"
        # Kept reports look for families changed since they were worked out (reports/snapshots.py).
        indexes = [models.Index(fields=["updated_at"], name="family_changed_idx")]

    def __str__(self) -> str:
        return f"Family {self.pk}"

    @property
    def address(self) -> str:
        return ", ".join(part for part in [self.address_line_1, self.address_line_2, self.town, self.postcode] if part)


class Person(BaseModel):
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    nhs_number_status = models.CharField(
        max_length=2, choices=NhsNumberStatus.choices, default=NhsNumberStatus.TRACE_REQUIRED
    )
    ethnicity = models.CharField(max_length=2, choices=EthnicCategory.choices, default=EthnicCategory.NOT_KNOWN)
    # Names this person was known by before an action changed theirs ("Chloe Smith"), oldest
    # first: a caller may still know them by one, so search finds them by it (ADR 0015).
    former_names = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        return " ".join(part for part in [self.given_name, self.family_name] if part)


class Infant(Person):
    """A baby or young child, born or not yet born. An unborn baby has a due date; when born, the
    same record gains a date of birth (and usually a name and NHS number), keeping its history."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="infants")
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    expected_due_date = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["updated_at"], name="infant_changed_idx")]  # reports/snapshots.py
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False) | Q(expected_due_date__isnull=False),
                name="infant_has_birth_or_due_date",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_born(self) -> bool:
        return self.date_of_birth is not None

    @property
    def display_name(self) -> str:
        if self.full_name:
            return self.full_name if self.is_born else f"{self.full_name} (unborn)"
        return "Unborn baby" if not self.is_born else "Baby (name not given)"

    def key_date(self) -> date:
        """Date of birth if born, else the due date."""
        day = self.date_of_birth or self.expected_due_date
        assert day is not None
        return day


class Carer(Person):
    """A parent or carer, with how to reach them safely."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="carers")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.CharField(
        max_length=10, choices=ParentalResponsibility.choices, default=ParentalResponsibility.NOT_KNOWN
    )
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    contact_preference = models.CharField(
        max_length=10, choices=ContactPreference.choices, default=ContactPreference.SMS
    )
    # False when the phone or inbox is shared or watched by someone who must not know.
    phone_is_safe = models.BooleanField(default=True)
    email_is_safe = models.BooleanField(default=True)
    safe_contact_note = models.CharField(
        max_length=500, blank=True, help_text='For example, "do not leave messages on the shared phone"'
    )
    is_main_contact = models.BooleanField(default=False)
    # Language, per person (domain reference G.4): what they speak (and its dialect, which decides
    # which interpreter can help), what they read (letters go in it, and may differ), and whether
    # they need a professional interpreter. Never a family member or friend, never a child.
    spoken_language = models.CharField(max_length=100, blank=True)
    dialect = models.CharField(max_length=100, blank=True)
    written_language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    language_note = models.CharField(
        max_length=500, blank=True, help_text='For example, "prefers a female interpreter"'
    )

    class Meta:
        ordering = ["-is_main_contact", "created_at"]
        indexes = [models.Index(fields=["updated_at"], name="carer_changed_idx")]  # reports/snapshots.py

    def __str__(self) -> str:
        return self.full_name


class SafeguardingFlagQuerySet(models.QuerySet["SafeguardingFlag"]):
    def active(self) -> "SafeguardingFlagQuerySet":
        return self.filter(removed_at__isnull=True)


class SafeguardingFlag(BaseModel):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="safeguarding_flags")
    kind = models.CharField(max_length=30, choices=SafeguardingKind.choices)
    detail = models.CharField(max_length=500, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where the flag came from when nobody signed in raised it ("the referral form").
    source = models.CharField(max_length=100, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_reason = models.CharField(max_length=500, blank=True)

    objects = SafeguardingFlagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()


class AlertActionKind(models.TextChoices):
    """What was done about a risk alert (several may apply)."""

    ASSESSED_IN_PERSON = "assessed_in_person", "Risk assessed in person"
    ASSESSED_BY_PHONE = "assessed_by_phone", "Risk assessed by phone"
    GP_TOLD = "gp_told", "GP told"
    CRISIS_TEAM = "crisis_team", "Crisis team contacted"
    PERINATAL_MENTAL_HEALTH = "perinatal_mental_health", "Perinatal mental health team contacted"
    SAFEGUARDING_REFERRAL = "safeguarding_referral", "Safeguarding referral made"
    OTHER = "other", "Other"


class AlertReviewOutcome(models.TextChoices):
    AGREE = "agree", "Reviewed: agree"
    FURTHER_ACTION = "further_action", "Reviewed: further action needed"


class FamilyAlertQuerySet(models.QuerySet["FamilyAlert"]):
    def active(self) -> "FamilyAlertQuerySet":
        return self.filter(closed_at__isnull=True)

    def awaiting_review(self) -> "FamilyAlertQuerySet":
        """High-risk alerts whose action is recorded and that no supervisor has reviewed yet."""
        return self.filter(review_due_at__isnull=False, reviewed_at__isnull=True)


class FamilyAlert(BaseModel):
    """A risk alert on the family (an EPDS item 10 answered above 0, an ADBB total of 5 or more),
    shown on the family's banner until someone records the action taken. Raised by higher apps
    (outcomes), kept here so every page about the family can show it (DESIGN.md convention 12)."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="alerts")
    message = models.CharField(max_length=500)
    # What raised it (an administration of a questionnaire), for the link and for closing.
    about_type = models.CharField(max_length=64)
    about_id = models.CharField(max_length=64)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The description of what was done and decided (alerts closed before the structured parts
    # below existed have only this).
    action_taken = models.TextField(blank=True)
    # What was done (AlertActionKind values), when and by whom; closed_by is who recorded it.
    actions_done = models.JSONField(default=list, blank=True)
    action_done_at = models.DateTimeField(null=True, blank=True)
    action_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the app that raised it from its data (a self-harm or harm-to-the-baby item): once the
    # action is recorded, a clinical supervisor or team lead reviews it by review_due_at.
    high_risk = models.BooleanField(default=False)
    review_due_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_outcome = models.CharField(max_length=20, choices=AlertReviewOutcome.choices, blank=True)
    review_comment = models.TextField(blank=True)

    objects = FamilyAlertQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["family", "closed_at"], name="family_alert_active_idx"),
            # Reports count the alerts raised in a period.
            models.Index(fields=["created_at"], name="family_alert_raised_idx"),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def url(self) -> str:
        """Where the action taken is recorded (registered by the app that raised it)."""
        return links.alert_link(self)

    @property
    def review_is_due(self) -> bool:
        return self.review_due_at is not None and self.reviewed_at is None

    @property
    def actions_done_labels(self) -> list[str]:
        labels = dict(AlertActionKind.choices)
        return [labels.get(code, code) for code in self.actions_done]


class FamilyMerge(BaseModel):
    """One family record folded into another, with what moved, so it can be undone."""

    kept = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="merges_in")
    merged = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="merges_out")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    # {"app_label.model": [ids moved from merged to kept]}
    moved = models.JSONField(default=dict)
    # Details of the kept family corrected from the merged record when they were linked, as the
    # audit holds them ({"record": "carer:<id>", "field", "label", "who", "old", "new"}), so an
    # undo puts the old values back.
    details_taken = models.JSONField(default=list, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} merged into {self.kept_id}"


# The search index (ADR 0015) -----------------------------------------------------------------


class SearchKind(models.TextChoices):
    NAME = "name", "Name"
    FORMER_NAME = "former_name", "Former name"
    NHS_NUMBER = "nhs_number", "NHS number"
    DATE = "date", "Date of birth or due date"
    POSTCODE = "postcode", "Postcode"
    PHONE = "phone", "Phone number"


class SearchEntry(models.Model):
    """One key a family is found by: a word of a person's name, an NHS number, a date of birth or
    due date, the postcode, a phone number, folded as families.search_keys folds them. Derived
    data, not a record anyone keeps: the actions that change these details rebuild a family's
    rows in their own transaction (search_index.reindex_family), so they carry no history and
    a BigAutoField is enough. No reverse accessor (related_name "+"), so merging two families
    does not carry these rows across as it carries the family's records: both are reindexed."""

    id = models.BigAutoField(primary_key=True)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    # The infant or carer the key belongs to; none for the family's own (its postcode).
    person_id = models.UUIDField(null=True, blank=True)
    kind = models.CharField(max_length=12, choices=SearchKind.choices)
    value = models.CharField(max_length=50)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"], name="search_entry_key_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class SearchWord(models.Model):
    """Every name word in the index, once: where the database's own trigram search (a pg_trgm
    GIN index on PostgreSQL, an FTS5 trigram table on SQLite) finds the spellings close to the
    one typed, before the families are looked up by those words exactly."""

    id = models.BigAutoField(primary_key=True)
    word = models.CharField(max_length=50, unique=True)

    def __str__(self) -> str:
        return self.word


# Consent and safeguarding referrals keep their models in their own modules ----------------------

from attune.families.consent_models import *  # noqa: E402, F403
from attune.families.safeguarding_models import *  # noqa: E402, F403
