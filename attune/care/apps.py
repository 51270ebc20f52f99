from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "attune.care"
    label = "care"
    verbose_name = "Care: waiting list, episodes, diary, notes"

    def ready(self) -> None:
        from attune.care import subjects
        from attune.care.presenters import tasks
        from attune.care.views.episode import family_episodes
        from attune.core import links
        from attune.core.models import TaskKind
        from attune.families import scope as family_scope

        subjects.register()
        links.register_task_link(TaskKind.COUNTERSIGN_NOTE, tasks.countersign_link)
        links.register_task_link(TaskKind.REVIEW_MISSED_APPOINTMENTS, tasks.episode_link)
        links.register_task_link(TaskKind.LONE_WORKING_OVERDUE, tasks.appointment_link)
        # The family page lists the family's episodes without the families app importing this one.
        family_scope.register_related("episodes", family_episodes)
