# Issue 18: the status columns filled in 0005 are required from now on, and indexed for the
# inbox and the waiting list (ADR 0017).

from django.db import migrations, models

STATUS_CHOICES = [
    ("received", "Waiting for triage"),
    ("awaiting_information", "Waiting for more information"),
    ("accepted", "Accepted to the waiting list"),
    ("signposted", "Signposted to another service"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0005_referral_status_column"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=24),
        ),
        migrations.AlterField(
            model_name="referral",
            name="status_at",
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["team", "status", "received_at"], name="referral_team_status_idx"),
        ),
    ]
