from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "attune.notifications"
    label = "notifications"
    verbose_name = "Notifications (outbox)"
