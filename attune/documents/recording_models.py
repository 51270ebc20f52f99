"""Video-feedback recordings of sessions (video interaction guidance and the like; domain
reference G.3). A recording belongs to a session (an appointment) and the people in it; the file
is kept in the documents storage until it is erased, when the row stays as the record of it."""

from django.conf import settings
from django.db import models

from attune.core.models import BaseModel

__all__ = ["ErasureReason", "Recording", "RecordingPurpose", "RecordingQuerySet"]


class RecordingPurpose(models.TextChoices):
    SESSION = "session", "Recording of the session"
    # Made from a session's recording for teaching, only with everyone's training consent.
    TRAINING = "training", "Training copy"


class ErasureReason(models.TextChoices):
    END_OF_EPISODE = "end_of_episode", "End of episode rule"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
    BY_HAND = "by_hand", "By hand"


class RecordingQuerySet(models.QuerySet["Recording"]):
    def kept(self) -> "RecordingQuerySet":
        """Not yet erased: the file is still in the storage."""
        return self.filter(erased_at__isnull=True)


class Recording(BaseModel):
    appointment = models.ForeignKey("care.Appointment", on_delete=models.PROTECT, related_name="recordings")
    # The session's episode and family, kept on the row so the family page, the scope and the
    # erasure job reach them without joining through the appointment.
    episode = models.ForeignKey("care.Episode", on_delete=models.PROTECT, related_name="recordings")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="recordings")
    infants = models.ManyToManyField("families.Infant", related_name="recordings", blank=True)
    carers = models.ManyToManyField("families.Carer", related_name="recordings", blank=True)
    purpose = models.CharField(max_length=10, choices=RecordingPurpose.choices, default=RecordingPurpose.SESSION)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="training_copies"
    )
    # Where the file is in the documents storage (files.stored_path), and the sanitised name it
    # is offered under; never the name the uploader's device gave it.
    stored_path = models.CharField(max_length=300)
    file_name = models.CharField(max_length=100)
    # From the file's content, not its name or what the browser said (recording_files.py).
    content_type = models.CharField(max_length=40)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    erased_at = models.DateTimeField(null=True, blank=True)
    # Nobody when the erasure job or a withdrawal recorded by a parent on their phone erased it.
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    erasure_reason = models.CharField(max_length=20, choices=ErasureReason.choices, blank=True)
    erasure_note = models.CharField(max_length=500, blank=True)

    objects = RecordingQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]
        indexes = [
            models.Index(fields=["appointment", "uploaded_at"], name="recording_session_idx"),
            models.Index(fields=["family", "uploaded_at"], name="recording_family_idx"),
            # The erasure job reads the kept recordings of ended episodes every day.
            models.Index(fields=["erased_at", "episode"], name="recording_kept_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose="session", copied_from__isnull=True)
                | models.Q(purpose="training", copied_from__isnull=False),
                name="recording_training_copy_has_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.file_name}"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None
