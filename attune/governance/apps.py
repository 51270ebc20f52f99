from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "attune.governance"
    label = "governance"
    verbose_name = "Information governance"
