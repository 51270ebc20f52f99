"""Outcome measures in the service: each completed questionnaire or rating (an administration),
scored by the pure engine (`scoring.py`) when it is stored, the team's schedule of measures, the
wording and cut-offs a service loads under its own licence, and the single-use links parents
answer on their own phone."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from attune.core.models import BaseModel


class TimePoint(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment"
    REVIEW = "review", "Review"
    DISCHARGE = "discharge", "Discharge"
    FOLLOW_UP = "follow_up", "Follow-up"
    OTHER = "other", "Other"


class Source(models.TextChoices):
    STAFF = "staff", "Entered by staff"
    PARENT_LINK = "parent_link", "Completed by the parent through a link"
    IMPORT = "import", "Imported"


class AdministrationQuerySet(models.QuerySet["Administration"]):
    def awaiting_review(self) -> "AdministrationQuerySet":
        return self.filter(source=Source.PARENT_LINK, reviewed_at__isnull=True)


class Administration(BaseModel):
    """One completed measure: the answers as given (0-based option positions, or numbers for a
    rating, None for a missing answer) and the result the engine gave when it was stored. Only
    ever written through `services.record_administration`, which evaluates the risk rules."""

    episode = models.ForeignKey("care.Episode", on_delete=models.PROTECT, related_name="administrations")
    instrument = models.CharField(max_length=16)  # the instrument's code, e.g. "EPDS"
    # Whom it is about (or who completed it, for a carer's self-report): a carer, an infant, or
    # both for a measure of the relationship.
    carer = models.ForeignKey(
        "families.Carer", null=True, blank=True, on_delete=models.PROTECT, related_name="administrations"
    )
    infant = models.ForeignKey(
        "families.Infant", null=True, blank=True, on_delete=models.PROTECT, related_name="administrations"
    )
    time_point = models.CharField(max_length=12, choices=TimePoint.choices)
    completed_on = models.DateField()
    source = models.CharField(max_length=12, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField()
    # The result, as scored when stored.
    total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=100, blank=True)
    alerts = models.JSONField(default=list, blank=True)
    complete = models.BooleanField()
    above_cutoff = models.BooleanField(null=True, blank=True)
    # Answers a parent gave through a link wait for the practitioner to look at them.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["completed_on", "created_at"]
        indexes = [
            models.Index(fields=["episode", "instrument", "completed_on"], name="administration_series_idx"),
            # Kept reports look for scores changed since they were worked out (reports/snapshots.py).
            models.Index(fields=["updated_at"], name="administration_changed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} on {self.completed_on}"


class MeasureSchedule(BaseModel):
    """When a team gives a measure: at a time point, so many weeks into the episode (assessment
    at 0, review at 12, ...), for infants in an age range where the measure is about the baby."""

    team = models.ForeignKey("organisations.Team", on_delete=models.CASCADE, related_name="measure_schedules")
    instrument = models.CharField(max_length=16)
    time_point = models.CharField(max_length=12, choices=TimePoint.choices)
    weeks_after_start = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Due this many weeks after the episode opened; blank for discharge"
    )
    infant_min_months = models.PositiveSmallIntegerField(null=True, blank=True)
    infant_max_months = models.PositiveSmallIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["weeks_after_start", "instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "instrument", "time_point"], name="one_schedule_per_measure_and_time_point"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} at {self.get_time_point_display()}"


class LicensedWording(BaseModel):
    """Item wording a service holds a licence for and loads from its own file (EPDS): Attune
    ships none for such measures. Replacing it keeps the earlier row (loaded_at tells which)."""

    instrument = models.CharField(max_length=16)
    items = models.JSONField()  # {"1": "wording", ...}
    options = models.JSONField(default=dict, blank=True)  # {"1": ["option", ...], ...}
    licence_note = models.CharField(max_length=500)
    loaded_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.instrument} wording loaded {self.created_at:%Y-%m-%d}"


class LoadedBands(BaseModel):
    """Bands or cut-offs a service loads from its own kit (ASQ:SE-2 per age interval), or to
    settle a value the reference marks uncertain. `key` names the interval ("12 months")."""

    instrument = models.CharField(max_length=16)
    key = models.CharField(max_length=40, blank=True)
    bands = models.JSONField()  # [{"minimum": 0, "maximum": 59, "label": "...", "uncertain": false}, ...]
    source_note = models.CharField(max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instrument", "key"], name="one_band_set_per_key")]

    def __str__(self) -> str:
        return f"{self.instrument} bands {self.key}".strip()


class QuestionnaireLinkQuerySet(models.QuerySet["QuestionnaireLink"]):
    def usable(self, now: object) -> "QuestionnaireLinkQuerySet":
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class QuestionnaireLink(BaseModel):
    """A single-use link a practitioner sends a parent to answer questionnaires on their own
    device. Only a hash of the token is stored; the parent first confirms the baby's date of birth."""

    episode = models.ForeignKey("care.Episode", on_delete=models.PROTECT, related_name="questionnaire_links")
    carer = models.ForeignKey("families.Carer", on_delete=models.PROTECT, related_name="questionnaire_links")
    infant = models.ForeignKey(
        "families.Infant", null=True, blank=True, on_delete=models.PROTECT, related_name="questionnaire_links"
    )
    instruments = models.JSONField()  # ["EPDS", "PBQ"]; empty for a link that only asks consent
    time_point = models.CharField(max_length=12, choices=TimePoint.choices)
    # The parent is also asked to give or review their consent (and their baby's, with parental
    # responsibility), stored through families.consent as given on their own phone.
    asks_consent = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    failed_checks = models.PositiveSmallIntegerField(default=0)

    objects = QuestionnaireLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="link_expires_after_sent")
        ]

    def __str__(self) -> str:
        return f"Questionnaire link for {self.carer_id}"
