import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0009_changed_indexes"),
        ("families", "0012_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InterpreterBooking",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("language", models.CharField(max_length=100)),
                ("dialect", models.CharField(blank=True, max_length=100)),
                (
                    "provider",
                    models.CharField(
                        help_text="The interpreting service or agency, or the interpreter", max_length=200
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[("in_person", "In person"), ("phone", "By phone"), ("video", "By video")],
                        default="in_person",
                        max_length=10,
                    ),
                ),
                (
                    "reference",
                    models.CharField(blank=True, help_text="The agency's booking reference", max_length=100),
                ),
                ("professional_confirmed", models.BooleanField(default=False)),
                ("booked_at", models.DateTimeField()),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                ("cancelled_at", models.DateTimeField(blank=True, null=True)),
                ("cancel_reason", models.CharField(blank=True, max_length=500)),
                (
                    "appointment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="interpreter_bookings",
                        to="care.appointment",
                    ),
                ),
                (
                    "booked_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "cancelled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "carer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="families.carer",
                    ),
                ),
                (
                    "confirmed_by",
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
                "ordering": ["booked_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("cancelled_at__isnull", True)),
                        fields=("appointment",),
                        name="one_active_interpreter_per_appointment",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("professional_confirmed", True)), name="interpreter_is_professional"
                    ),
                ],
            },
        ),
    ]
