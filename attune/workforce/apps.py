from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "attune.workforce"
    label = "workforce"
    verbose_name = "Workforce and training"
