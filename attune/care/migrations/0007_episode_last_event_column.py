# Issue 18: an episode keeps the kind and time of its latest event on the row (ADR 0017).
# Added nullable and filled from the history here; made required in 0008, a migration (and so a
# transaction) of its own, because PostgreSQL refuses to alter a table with updates pending in
# the same transaction.

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

KIND_CHOICES = [
    ("allocated", "Allocated"),
    ("transferred", "Transferred"),
    ("discharged", "Discharged"),
    ("reopened", "Reopened"),
]


def from_history(apps, schema_editor):
    """Every episode takes the latest row of its history, in one UPDATE (no loop per row). An
    episode with no history, which allocation never leaves, counts as allocated when it opened,
    so that the columns can be required."""
    episode = apps.get_model("care", "Episode")
    event = apps.get_model("care", "EpisodeEvent")
    latest = event.objects.filter(episode=OuterRef("pk")).order_by("-at", "-id")
    episode.objects.update(
        last_event_kind=Coalesce(Subquery(latest.values("kind")[:1]), Value("allocated")),
        last_event_at=Coalesce(Subquery(latest.values("at")[:1]), F("opened_at")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0006_intervention_weights"),
    ]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="last_event_kind",
            field=models.CharField(choices=KIND_CHOICES, max_length=12, null=True),
        ),
        migrations.AddField(
            model_name="episode",
            name="last_event_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(from_history, migrations.RunPython.noop, elidable=True),
    ]
