from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "attune.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from datetime import timedelta

        from attune.core import jobs

        jobs.register(
            "backup",
            _daily_backup,
            every=timedelta(days=1),
            description="Back up the database and prune old backups",
        )
        jobs.register(
            "prune_task_results",
            _prune,
            every=timedelta(days=1),
            description="Delete finished background task results older than 14 days",
        )


def _prune() -> int:
    from attune.core import worker

    return worker.prune()


def _daily_backup() -> str:
    from django.utils import timezone

    from attune.core import backups

    return str(backups.take_scheduled_backup(timezone.now()))
