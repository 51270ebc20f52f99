from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "attune.workforce"
    label = "workforce"
    verbose_name = "Workforce and training"

    def ready(self) -> None:
        from attune.core import links
        from attune.core.models import TaskKind
        from attune.workforce.presenters import post_task_link

        links.register_task_link(TaskKind.POST_ENDING, post_task_link)

        from datetime import timedelta

        from attune.core import jobs
        from attune.workforce.services import warn_posts_ending

        jobs.register(
            "check_posts", warn_posts_ending, every=timedelta(days=1), description="Warn team leads about posts ending"
        )
