import factory

from attune.core import audit
from attune.core.models import Task, TaskKind


class TaskFactory(factory.django.DjangoModelFactory):
    """An open task for `assignee` about `about` (any saved row), as raise_task leaves it."""

    class Meta:
        model = Task

    class Params:
        about = None

    kind = TaskKind.REVIEW_MISSED_APPOINTMENTS
    title = "Review the work with the family"
    about_type = factory.LazyAttribute(lambda task: audit.object_type_of(task.about))
    about_id = factory.LazyAttribute(lambda task: str(task.about.pk))
