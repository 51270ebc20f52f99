from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "attune.outcomes"
    label = "outcomes"
    verbose_name = "Outcome measures"
