"""Post ending tasks keep the id their link needs (the team), now that the link is built by a
presenter (core.links) rather than stored when the task was raised."""

from django.db import migrations


def fill(apps, schema_editor):
    Task = apps.get_model("core", "Task")
    Post = apps.get_model("workforce", "Post")
    for task in Task.objects.filter(kind="post_ending"):
        team = Post.objects.filter(pk=task.about_id).values_list("team_id", flat=True).first()
        if team is not None:
            Task.objects.filter(pk=task.pk).update(facts={"team": str(team)})


class Migration(migrations.Migration):
    dependencies = [("core", "0005_task_facts_links_from_presenters"), ("workforce", "0001_initial")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
