"""The import part's models: one run per file a team lead uploads, and what each imported row
became, so the same file imported twice changes nothing."""

from django.conf import settings
from django.db import models

from attune.core.models import BaseModel

__all__ = ["ImportRun", "ImportState", "ImportedRecord"]


class ImportState(models.TextChoices):
    CHECKING = "checking", "Checking the file"
    REFUSED = "refused", "Could not be read"
    HAS_PROBLEMS = "has_problems", "Has problems to mend"
    READY = "ready", "Ready to import"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Failed: nothing was imported"


class ImportRun(BaseModel):
    """One uploaded file: its dry run's report and, once imported, what it made.

    What the file held is kept in this row, not in the documents storage: the worker that checks
    and imports it reads it from the database it already shares with the web server, so no shared
    file system is needed. The file itself (`content`) is kept only until its dry run, in the
    background, has read it; then the rows it read (`parsed`) are kept, so the import writes
    exactly what was checked without reading the workbook a second time (the slowest part of a
    dry run), and they are cleared once the run has finished, since a caseload spreadsheet holds
    personal data nobody needs once it is in Attune. The file's fingerprint (`sha256`) stays.
    The limit on its size (ATTUNE_IMPORT_MAX_MB) keeps the row small."""

    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The name the file had on the person's computer, made safe; shown on the pages.
    file_name = models.CharField(max_length=110)
    # "xlsx" or "csv"; a CSV holds one kind of row (`csv_kind`).
    file_type = models.CharField(max_length=4)
    csv_kind = models.CharField(max_length=20, blank=True)
    # The file as uploaded, until the dry run has read it; then empty.
    content = models.BinaryField(blank=True, default=b"")
    # import_rows.tables_to_json of the rows read; {} once the run has finished.
    parsed = models.JSONField(default=dict, blank=True)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=20, choices=ImportState.choices)
    # The dry run: rows per sheet, problems counted by sheet and kind, and every problem (as
    # import_rows.Problem.as_dict) for the paged report and its CSV.
    rows_by_sheet = models.JSONField(default=dict)
    problem_count = models.PositiveIntegerField(default=0)
    problem_summary = models.JSONField(default=list)
    problems = models.JSONField(default=list)
    # What the import would make and what is already in Attune, per kind ({"families": {"new":
    # 3, "already": 1}}): from the dry run, then from the import itself.
    counts = models.JSONField(default=dict)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "created_at"], name="import_run_team_idx")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def rows_total(self) -> int:
        return sum(int(n) for n in self.rows_by_sheet.values())


class ImportedRecord(BaseModel):
    """What a row with a source id became: a second import of the same row finds it here and
    is skipped. One per team, kind and source id, whatever file it came in."""

    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    source_id = models.CharField(max_length=100)
    object_id = models.UUIDField()
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="records")
    # A fingerprint of the row as imported: a later file whose row differs is reported as
    # "changed since it was imported" (and still not applied: Attune's record is the one kept).
    fingerprint = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "kind", "source_id"], name="imported_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id}"
