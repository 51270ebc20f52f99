from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "attune.outcomes"
    label = "outcomes"
    verbose_name = "Outcome measures"

    def ready(self) -> None:
        from attune.care import scope as care_scope
        from attune.outcomes.caseload import measures_due

        # The caseload shows the measures due without the care app importing this one.
        care_scope.register_caseload_column("measures", "Measures due", measures_due)
