from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "attune.supervision"
    label = "supervision"
    verbose_name = "Clinical supervision"

    def ready(self) -> None:
        from attune.core import links
        from attune.core.models import TaskKind
        from attune.supervision.presenters import action_task_link, returned_task_link

        links.register_task_link(TaskKind.SUPERVISION_ACTION, action_task_link)
        links.register_task_link(TaskKind.NOTE_RETURNED, returned_task_link)
