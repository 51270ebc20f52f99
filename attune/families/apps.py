from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "attune.families"
    label = "families"
    verbose_name = "Families"

    def ready(self) -> None:
        from attune.families import subjects

        subjects.register()
