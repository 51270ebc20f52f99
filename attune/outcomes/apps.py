from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "attune.outcomes"
    label = "outcomes"
    verbose_name = "Outcome measures"

    def ready(self) -> None:
        from attune.care import columns as care_columns
        from attune.core import links
        from attune.core.models import TaskKind
        from attune.outcomes import subjects
        from attune.outcomes.caseload import measures_due
        from attune.outcomes.models import Administration
        from attune.outcomes.presenters import alerts

        subjects.register()
        links.register_alert_link(Administration._meta.label_lower, alerts.alert_link)
        links.register_task_link(TaskKind.RISK_ALERT, alerts.risk_task_link)
        links.register_task_link(TaskKind.REVIEW_RISK_ALERT, alerts.risk_task_link)

        # The caseload shows the measures due without the care app importing this one.
        care_columns.register_caseload_column("measures", "Measures due", measures_due)
