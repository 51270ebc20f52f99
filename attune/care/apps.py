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

        from datetime import timedelta

        from attune.care.reminders import queue_reminders
        from attune.care.services import alert_overdue_visits
        from attune.core import jobs

        jobs.register(
            "check_lone_working",
            alert_overdue_visits,
            every=timedelta(minutes=5),
            description="Alert team leads about home visits not checked out",
        )
        jobs.register(
            "queue_reminders",
            queue_reminders,
            every=timedelta(hours=1),
            description="Write appointment reminders to the outbox",
        )
