from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "attune.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
