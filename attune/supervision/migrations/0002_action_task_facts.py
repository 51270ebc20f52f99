"""Supervision action tasks keep the id their link needs (the session), now that the link is built by a
presenter (core.links) rather than stored when the task was raised."""

from django.db import migrations


def fill(apps, schema_editor):
    Task = apps.get_model("core", "Task")
    SupervisionAction = apps.get_model("supervision", "SupervisionAction")
    for task in Task.objects.filter(kind="supervision_action"):
        session = SupervisionAction.objects.filter(pk=task.about_id).values_list("session_id", flat=True).first()
        if session is not None:
            Task.objects.filter(pk=task.pk).update(facts={"session": str(session)})


class Migration(migrations.Migration):
    dependencies = [("core", "0005_task_facts_links_from_presenters"), ("supervision", "0001_initial")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
