"""Documents on a family, an episode or a person."""

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models

from attune.core.models import BaseModel
from attune.documents import files

__all__ = ["Direction", "Document", "DocumentCategory", "DocumentQuerySet"]


class DocumentCategory(models.TextChoices):
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"
    CONSENT_FORM = "consent_form", "Signed consent form"
    LETTER = "letter", "Letter"
    REPORT = "report", "Report"
    ASSESSMENT = "assessment", "Assessment"
    OTHER = "other", "Other"


class Direction(models.TextChoices):
    RECEIVED = "received", "Received from"
    SENT = "sent", "Sent to"


class DocumentQuerySet(models.QuerySet["Document"]):
    def kept(self) -> "DocumentQuerySet":
        """Documents whose file is still held (not removed)."""
        return self.filter(removed_at__isnull=True)


def _documents_storage() -> Storage:
    # A callable, so the storage is looked up when used (tests swap the settings), not at import.
    return files.storage()


class Document(BaseModel):
    """A file kept on a family's record: about the whole family, one episode, or one person.

    Removing a document deletes its file from the storage but keeps this row, with who removed
    it, when and why: the record shows the document existed and what became of it."""

    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="documents")
    episode = models.ForeignKey(
        "care.Episode", on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    infant = models.ForeignKey(
        "families.Infant", on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    carer = models.ForeignKey(
        "families.Carer", on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=30, choices=DocumentCategory.choices)
    # The stored file's name in the "documents" storage (made by files.stored_path); blank once
    # the document is removed.
    file = models.FileField(storage=_documents_storage, max_length=300, blank=True)
    # The name the uploader's file had, made safe: offered again when it is downloaded.
    original_name = models.CharField(max_length=files.LONGEST_NAME + 10)
    # Found from the content when it was uploaded, never from the browser's word for it.
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Exchange with another agency: sent to or received from whom, and when.
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    agency = models.CharField(max_length=200, blank=True)
    exchanged_on = models.DateField(null=True, blank=True)
    exchange_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    removed_reason = models.CharField(max_length=500, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["family", "created_at"], name="document_family_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(direction="") | models.Q(exchanged_on__isnull=False),
                name="document_exchange_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def person(self) -> object | None:
        return self.infant or self.carer
