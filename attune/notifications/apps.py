from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "attune.notifications"
    label = "notifications"
    verbose_name = "Notifications (outbox)"

    def ready(self) -> None:
        from datetime import timedelta

        from attune.core import jobs
        from attune.notifications.jobs import send_outbox

        jobs.register(
            "send_outbox", send_outbox, every=timedelta(minutes=1), description="Send queued texts and emails"
        )
