# Issue 18: a referral keeps its current status and its time on the row (ADR 0017).
# Added nullable and filled from the history here; made required in 0006, a migration (and so a
# transaction) of its own, because PostgreSQL refuses to alter a table with updates pending in
# the same transaction.

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

STATUS_CHOICES = [
    ("received", "Waiting for triage"),
    ("awaiting_information", "Waiting for more information"),
    ("accepted", "Accepted to the waiting list"),
    ("signposted", "Signposted to another service"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
]


def from_history(apps, schema_editor):
    """Every referral takes the latest row of its history, in one UPDATE (no loop per row: a
    region holds tens of thousands). A referral with no history, which the actions never leave,
    counts as received when it was received, so that the column can be required."""
    referral = apps.get_model("referrals", "Referral")
    status = apps.get_model("referrals", "ReferralStatus")
    latest = status.objects.filter(referral=OuterRef("pk")).order_by("-entered_at", "-id")
    referral.objects.update(
        status=Coalesce(Subquery(latest.values("status")[:1]), Value("received")),
        status_at=Coalesce(Subquery(latest.values("entered_at")[:1]), F("received_at")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0004_priority_first_contact_targets"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=24, null=True),
        ),
        migrations.AddField(
            model_name="referral",
            name="status_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(from_history, migrations.RunPython.noop, elidable=True),
    ]
