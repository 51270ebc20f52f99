import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("interop", "0001_initial"),
        ("organisations", "0003_site_opening_hours_team_unique_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportRun",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("file_name", models.CharField(max_length=110)),
                ("file_type", models.CharField(max_length=4)),
                ("csv_kind", models.CharField(blank=True, max_length=20)),
                ("parsed", models.JSONField(blank=True, default=dict)),
                ("sha256", models.CharField(max_length=64)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("has_problems", "Has problems to mend"),
                            ("ready", "Ready to import"),
                            ("queued", "Waiting to start"),
                            ("running", "Importing"),
                            ("imported", "Imported"),
                            ("failed", "Failed: nothing was imported"),
                        ],
                        max_length=20,
                    ),
                ),
                ("rows_by_sheet", models.JSONField(default=dict)),
                ("problem_count", models.PositiveIntegerField(default=0)),
                ("problem_summary", models.JSONField(default=list)),
                ("problems", models.JSONField(default=list)),
                ("counts", models.JSONField(default=dict)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("failure", models.TextField(blank=True)),
                (
                    "queued_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisations.team"
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="ImportedRecord",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("kind", models.CharField(max_length=20)),
                ("source_id", models.CharField(max_length=100)),
                ("object_id", models.UUIDField()),
                ("fingerprint", models.CharField(max_length=64)),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisations.team"
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="records", to="interop.importrun"
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="importrun",
            index=models.Index(fields=["team", "created_at"], name="import_run_team_idx"),
        ),
        migrations.AddConstraint(
            model_name="importedrecord",
            constraint=models.UniqueConstraint(fields=("team", "kind", "source_id"), name="imported_record_unique"),
        ),
    ]
