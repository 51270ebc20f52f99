from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "attune.care"
    label = "care"
    verbose_name = "Care: waiting list, episodes, diary, notes"

    def ready(self) -> None:
        from attune.care import subjects

        subjects.register()
