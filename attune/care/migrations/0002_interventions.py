"""The interventions a parent-infant relationship service commonly offers, with a starting
caseload weight each. Reference data: teams change the weights and add their own."""

from decimal import Decimal

from django.db import migrations

INTERVENTIONS = [
    ("parent-infant-psychotherapy", "Parent-infant psychotherapy", Decimal("1.00")),
    ("video-interaction-guidance", "Video Interaction Guidance", Decimal("0.75")),
    ("watch-wait-wonder", "Watch, Wait and Wonder", Decimal("1.00")),
    ("circle-of-security", "Circle of Security Parenting", Decimal("0.75")),
    ("assessment", "Assessment", Decimal("0.50")),
    ("consultation", "Consultation with the family's professionals", Decimal("0.25")),
]


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    Intervention = apps.get_model("care", "Intervention")
    for code, name, weight in INTERVENTIONS:
        Intervention.objects.get_or_create(code=code, defaults={"name": name, "caseload_weight": weight})


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("care", "Intervention").objects.filter(code__in=[c for c, _, _ in INTERVENTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
