import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import attune.documents.document_models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("care", "0010_interpreter_bookings"),
        ("families", "0009_changed_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("title", models.CharField(max_length=200)),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("child_protection_plan", "Child protection plan"),
                            ("consent_form", "Signed consent form"),
                            ("letter", "Letter"),
                            ("report", "Report"),
                            ("assessment", "Assessment"),
                            ("other", "Other"),
                        ],
                        max_length=30,
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=300,
                        storage=attune.documents.document_models._documents_storage,
                        upload_to="",
                    ),
                ),
                ("original_name", models.CharField(max_length=110)),
                ("content_type", models.CharField(max_length=100)),
                ("size", models.PositiveBigIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                (
                    "direction",
                    models.CharField(
                        blank=True, choices=[("received", "Received from"), ("sent", "Sent to")], max_length=10
                    ),
                ),
                ("agency", models.CharField(blank=True, max_length=200)),
                ("exchanged_on", models.DateField(blank=True, null=True)),
                ("removed_at", models.DateTimeField(blank=True, null=True)),
                ("removed_reason", models.CharField(blank=True, max_length=500)),
                (
                    "carer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="families.carer",
                    ),
                ),
                (
                    "episode",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="care.episode",
                    ),
                ),
                (
                    "exchange_recorded_by",
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
                        on_delete=django.db.models.deletion.PROTECT, related_name="documents", to="families.family"
                    ),
                ),
                (
                    "infant",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="families.infant",
                    ),
                ),
                (
                    "removed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
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
                "indexes": [models.Index(fields=["family", "created_at"], name="document_family_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("direction", ""), ("exchanged_on__isnull", False), _connector="OR"),
                        name="document_exchange_has_date",
                    )
                ],
            },
        ),
    ]
