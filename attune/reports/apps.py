from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "attune.reports"
    label = "reports"
    verbose_name = "Reports and indicators"
