# Issue 18: the columns filled in 0007 are required from now on, and indexed for a team's open
# episodes (ADR 0017).

from django.db import migrations, models

KIND_CHOICES = [
    ("allocated", "Allocated"),
    ("transferred", "Transferred"),
    ("discharged", "Discharged"),
    ("reopened", "Reopened"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0007_episode_last_event_column"),
    ]

    operations = [
        migrations.AlterField(
            model_name="episode",
            name="last_event_kind",
            field=models.CharField(choices=KIND_CHOICES, max_length=12),
        ),
        migrations.AlterField(
            model_name="episode",
            name="last_event_at",
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name="episode",
            index=models.Index(fields=["team", "last_event_kind"], name="episode_team_state_idx"),
        ),
    ]
