"""Risk alert tasks keep the id their link needs (the administration that raised the alert), now that the link is built by a
presenter (core.links) rather than stored when the task was raised."""

from django.db import migrations


def fill(apps, schema_editor):
    Task = apps.get_model("core", "Task")
    FamilyAlert = apps.get_model("families", "FamilyAlert")
    for task in Task.objects.filter(kind="risk_alert"):
        raised_by = FamilyAlert.objects.filter(pk=task.about_id).values_list("about_id", flat=True).first()
        if raised_by is not None:
            Task.objects.filter(pk=task.pk).update(facts={"administration": raised_by})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_task_facts_links_from_presenters"),
        ("families", "0005_alert_link_from_presenters"),
        ("outcomes", "0001_initial"),
    ]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
