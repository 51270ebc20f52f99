import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

HOW = [("spoken", "Spoken"), ("written", "Written"), ("own_phone", "On the parent's own phone")]


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0009_changed_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Consent",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "purpose",
                    models.CharField(
                        choices=[
                            ("assessment_treatment", "Assessment and treatment"),
                            ("contact_text", "Contact by text message"),
                            ("contact_email", "Contact by email"),
                            ("contact_letter", "Contact by letter"),
                            ("share_gp", "Share with their GP"),
                            ("share_health_visitor", "Share with their health visitor"),
                            ("share_social_care", "Share with children's social care"),
                            ("share_other", "Share with another agency"),
                            ("video_recording", "Video recording of sessions"),
                            ("video_supervision", "Use of recordings in clinical supervision"),
                            ("video_training", "Use of recordings in training"),
                            ("research", "Research"),
                        ],
                        max_length=30,
                    ),
                ),
                ("agency", models.CharField(blank=True, max_length=200)),
                ("decision", models.CharField(choices=[("given", "Given"), ("refused", "Refused")], max_length=10)),
                ("how", models.CharField(choices=HOW, max_length=10)),
                ("review_on", models.DateField(blank=True, null=True)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                ("withdrawn_how", models.CharField(blank=True, choices=HOW, max_length=10)),
                ("withdrawn_reason", models.CharField(blank=True, max_length=500)),
                (
                    "carer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="consents",
                        to="families.carer",
                    ),
                ),
                (
                    "family",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="consents", to="families.family"
                    ),
                ),
                (
                    "given_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.RESTRICT,
                        related_name="+",
                        to="families.carer",
                    ),
                ),
                (
                    "infant",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="consents",
                        to="families.infant",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["created_at"],
                "indexes": [models.Index(fields=["family", "created_at"], name="consent_family_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("infant__isnull", False), ("carer__isnull", True)),
                            models.Q(("infant__isnull", True), ("carer__isnull", False)),
                            _connector="OR",
                        ),
                        name="consent_one_person",
                    )
                ],
            },
        ),
    ]
