import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_documents"),
        ("care", "0010_interpreter_bookings"),
        ("families", "0009_changed_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Recording",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "purpose",
                    models.CharField(
                        choices=[("session", "Recording of the session"), ("training", "Training copy")],
                        default="session",
                        max_length=10,
                    ),
                ),
                ("stored_path", models.CharField(max_length=300)),
                ("file_name", models.CharField(max_length=100)),
                ("content_type", models.CharField(max_length=40)),
                ("size", models.BigIntegerField()),
                ("sha256", models.CharField(blank=True, max_length=64)),
                ("uploaded_at", models.DateTimeField()),
                ("erased_at", models.DateTimeField(blank=True, null=True)),
                (
                    "erasure_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("end_of_episode", "End of episode rule"),
                            ("consent_withdrawn", "Consent withdrawn"),
                            ("by_hand", "By hand"),
                        ],
                        max_length=20,
                    ),
                ),
                ("erasure_note", models.CharField(blank=True, max_length=500)),
                (
                    "appointment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="recordings", to="care.appointment"
                    ),
                ),
                ("carers", models.ManyToManyField(blank=True, related_name="recordings", to="families.carer")),
                (
                    "copied_from",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="training_copies",
                        to="documents.recording",
                    ),
                ),
                (
                    "episode",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="recordings", to="care.episode"
                    ),
                ),
                (
                    "erased_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "family",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="recordings", to="families.family"
                    ),
                ),
                ("infants", models.ManyToManyField(blank=True, related_name="recordings", to="families.infant")),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["uploaded_at"],
                "indexes": [
                    models.Index(fields=["appointment", "uploaded_at"], name="recording_session_idx"),
                    models.Index(fields=["family", "uploaded_at"], name="recording_family_idx"),
                    models.Index(fields=["erased_at", "episode"], name="recording_kept_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("copied_from__isnull", True), ("purpose", "session")),
                            models.Q(("copied_from__isnull", False), ("purpose", "training")),
                            _connector="OR",
                        ),
                        name="recording_training_copy_has_source",
                    )
                ],
            },
        ),
    ]
