"""Countersign tasks keep the id their link needs (the appointment), now that the link is built by a
presenter (core.links) rather than stored when the task was raised."""

from django.db import migrations


def fill(apps, schema_editor):
    Task = apps.get_model("core", "Task")
    Note = apps.get_model("care", "Note")
    for task in Task.objects.filter(kind="countersign_note"):
        appointment = Note.objects.filter(pk=task.about_id).values_list("appointment_id", flat=True).first()
        if appointment is not None:
            Task.objects.filter(pk=task.pk).update(facts={"appointment": str(appointment)})


class Migration(migrations.Migration):
    dependencies = [("core", "0005_task_facts_links_from_presenters"), ("care", "0003_report_indexes")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
