import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

OUTCOMES = [
    ("awaiting_decision", "Awaiting decision"),
    ("no_further_action", "No further action"),
    ("early_help", "Early help"),
    ("child_in_need", "Child in need (section 17)"),
    ("section_47", "Child protection enquiry (section 47)"),
    ("child_protection_plan", "Child protection plan"),
    ("looked_after", "Looked after"),
    ("closed", "Closed"),
]
MEETING_KINDS = [
    ("strategy", "Strategy meeting"),
    ("initial_conference", "Initial child protection conference"),
    ("review_conference", "Review child protection conference"),
    ("core_group", "Core group meeting"),
    ("child_in_need", "Child in need meeting"),
    ("other", "Other meeting"),
]


def _base() -> list[tuple[str, models.Field]]:
    return [
        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
        ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
        ("updated_at", models.DateTimeField(auto_now=True)),
    ]


def _user(**kwargs: object) -> models.ForeignKey:
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, **kwargs
    )


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0010_consent"),
        ("organisations", "0003_site_opening_hours_team_unique_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SafeguardingReferral",
            fields=[
                *_base(),
                ("concern", models.TextField()),
                ("referred_on", models.DateField()),
                ("council_reference", models.CharField(blank=True, max_length=50)),
                ("pre_birth", models.BooleanField(default=False)),
                ("due_date", models.DateField(blank=True, null=True)),
                ("pregnancy_week", models.PositiveSmallIntegerField(blank=True, null=True)),
                (
                    "council",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.organisation",
                    ),
                ),
                (
                    "family",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="safeguarding_referrals",
                        to="families.family",
                    ),
                ),
                (
                    "infant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="safeguarding_referrals",
                        to="families.infant",
                    ),
                ),
                ("referred_by", _user()),
            ],
            options={"ordering": ["-referred_on", "-created_at"]},
        ),
        migrations.CreateModel(
            name="SafeguardingMeeting",
            fields=[
                *_base(),
                ("kind", models.CharField(choices=MEETING_KINDS, max_length=30)),
                ("starts_at", models.DateTimeField()),
                ("notes", models.TextField(blank=True, help_text="Where, who is invited, what to bring")),
                ("held_at", models.DateTimeField(blank=True, null=True)),
                ("attendance", models.TextField(blank=True)),
                ("outcome_notes", models.TextField(blank=True)),
                ("cancelled_at", models.DateTimeField(blank=True, null=True)),
                ("cancelled_reason", models.CharField(blank=True, max_length=500)),
                ("cancelled_by", _user(blank=True, null=True)),
                ("held_recorded_by", _user(blank=True, null=True)),
                ("scheduled_by", _user()),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="meetings",
                        to="families.safeguardingreferral",
                    ),
                ),
            ],
            options={"ordering": ["starts_at", "created_at"]},
        ),
        migrations.CreateModel(
            name="SafeguardingReferralStatus",
            fields=[
                *_base(),
                ("status", models.CharField(choices=OUTCOMES, max_length=30)),
                ("decided_on", models.DateField()),
                ("note", models.TextField(blank=True)),
                ("recorded_by", _user()),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="statuses",
                        to="families.safeguardingreferral",
                    ),
                ),
            ],
            options={"ordering": ["decided_on", "created_at"]},
        ),
        migrations.AddIndex(
            model_name="safeguardingreferral",
            index=models.Index(fields=["family", "referred_on"], name="sg_referral_family_idx"),
        ),
        migrations.AddIndex(
            model_name="safeguardingreferralstatus",
            index=models.Index(fields=["referral", "decided_on"], name="sg_status_latest_idx"),
        ),
    ]
